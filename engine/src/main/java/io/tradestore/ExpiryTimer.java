package io.tradestore;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * Runs an expiry job when the next thing expires, not in a slow sweep: a timer set at the soonest expiry ahead,
 * moved earlier when something expiring sooner arrives ({@link #onExpiry}), run again at once while a run fills its
 * batch. Confined to the context that started it.
 */
public final class ExpiryTimer {
  private static final Logger LOG = LoggerFactory.getLogger(ExpiryTimer.class);
  /** Re-check at least this often, so a clock jump or a missed signal cannot leave anything unexpired for long. */
  private static final long MAX_SLEEP_MS = 60_000;

  /** What one run did: how many it expired, whether it stopped at its batch limit, the soonest expiry left (null: none). */
  public record Run(int expired, boolean full, Long next) { }

  private final Vertx vertx;
  private final Clock clock;
  private final String what;
  private final Supplier<Future<Run>> job;
  private long timerId = -1;
  private long timerAt = Long.MAX_VALUE;
  private boolean running;
  private boolean stopped;

  /** @param what what expires, for the log ("quote", "alert") */
  public ExpiryTimer(Vertx vertx, Clock clock, String what, Supplier<Future<Run>> job) {
    this.vertx = vertx;
    this.clock = clock;
    this.what = what;
    this.job = job;
  }

  /** Expires what is already due (what expired while the engine was down), then waits for the next. */
  public void start() {
    expireDue();
  }

  public void stop() {
    stopped = true;
    cancel();
  }

  /** Something committed that expires at {@code at} (null: never): wake up then if that is sooner. */
  public void onExpiry(Long at) {
    if (at != null && !running) {
      scheduleAt(at);
    }
  }

  private void expireDue() {
    if (stopped) {
      return;
    }
    running = true;
    cancel();
    job.get().onComplete(done -> {
      running = false;
      if (done.failed()) {
        LOG.warn("{} expiry failed ({}); retrying in 1 s", what, done.cause().getMessage());
        scheduleAt(clock.millis() + 1_000);
        return;
      }
      Run run = done.result();
      if (run.expired() > 0) {
        LOG.debug("expired {} {}(s)", run.expired(), what);
      }
      if (run.full()) {
        expireDue();
      } else {
        scheduleAt(run.next() == null ? clock.millis() + MAX_SLEEP_MS : run.next());
      }
    });
  }

  private void scheduleAt(long at) {
    if (stopped) {
      return;
    }
    long now = clock.millis();
    long when = Math.min(at, now + MAX_SLEEP_MS);
    if (when >= timerAt) {
      return;
    }
    cancel();
    timerAt = when;
    timerId = vertx.setTimer(Math.max(1, when - now), id -> {
      timerId = -1;
      timerAt = Long.MAX_VALUE;
      expireDue();
    });
  }

  private void cancel() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    timerAt = Long.MAX_VALUE;
  }
}
