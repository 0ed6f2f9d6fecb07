package io.tradestore.outbox;

import io.tradestore.Addresses;
import io.tradestore.config.EngineConfig;
import io.tradestore.store.Store;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Delivers committed outbox events: claim a batch (one short write transaction), deliver it with no
 * transaction open, record the outcomes (another short one, which rides in the writer's group commit).
 *
 * <p>Woken right after a commit that appended events; an adaptive poll (pollMin..pollMax, and the exact time of
 * the next due retry) is the safety net for lost signals, restarts and retries. Events of one aggregate are
 * delivered one after another in seq order, also across retries; a failing event holds back only the later
 * events of its own aggregate. Delivery is at least once: consumers deduplicate on {@code eventId}.
 *
 * <p>All state is confined to the context that started the dispatcher.
 */
final class OutboxDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);

  private final Vertx vertx;
  private final Store store;
  private final EngineConfig.Outbox settings;
  private final RetryPolicy retry;
  private final Clock clock;
  private final OutboxMetrics metrics;
  /** Test hook: true after delivering an event means "crash now", before its outcome is recorded. */
  private final Predicate<ClaimedEvent> crashAfterDelivery;
  private final String owner = UUID.randomUUID().toString();
  private final AtomicBoolean wakePosted = new AtomicBoolean();
  private final Runnable commitListener = this::onWriterCommit;
  private final List<Mark> marks = new ArrayList<>();

  private Context context;
  private long appendedSeen = -1;
  private int inFlight;
  private boolean claiming;
  private boolean wakeAgain;
  private boolean marking;
  private boolean stopping;
  private boolean crashed;
  private long idleDelay;
  private long timerId = -1;
  private long timerAt = Long.MAX_VALUE;
  private Promise<Void> drained;

  OutboxDispatcher(Vertx vertx, Store store, EngineConfig.Outbox settings, RetryPolicy retry, Clock clock,
                   OutboxMetrics metrics, Predicate<ClaimedEvent> crashAfterDelivery) {
    this.vertx = vertx;
    this.store = store;
    this.settings = settings;
    this.retry = retry;
    this.clock = clock;
    this.metrics = metrics;
    this.crashAfterDelivery = crashAfterDelivery;
    this.idleDelay = settings.pollMinMs();
  }

  /** Reclaims what a previous run left in flight, then starts delivering. Call on the owning context. */
  Future<Void> start() {
    context = Vertx.currentContext();
    return store.writer().submitWithoutSavepoint(OutboxRepository::reclaimInFlight).map(reclaimed -> {
      if (reclaimed > 0) {
        LOG.warn("reclaimed {} outbox event(s) left in flight by the previous run; they will be delivered again", reclaimed);
      }
      store.writer().onCommit(commitListener);
      wake();
      return null;
    });
  }

  /** Stops claiming, lets in-flight deliveries finish and records their outcomes. */
  Future<Void> stop() {
    stopping = true;
    store.writer().removeCommitListener(commitListener);
    cancelTimer();
    drained = Promise.promise();
    checkDrained();
    long bound = settings.deliveryTimeoutMs() + 5_000L;
    long guard = vertx.setTimer(bound, id -> {
      if (drained.tryComplete()) {
        LOG.warn("outbox stopped with {} event(s) still in flight after {} ms; they will be delivered again at the next start",
            inFlight, bound);
      }
    });
    return drained.future().andThen(x -> vertx.cancelTimer(guard));
  }

  /** Wakes the dispatcher from any thread (an operator command, a commit). */
  void signal() {
    if (wakePosted.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        wakePosted.set(false);
        wake();
      });
    }
  }

  /** On the writer's context, after each commit: only commits that appended events wake the dispatcher. */
  private void onWriterCommit() {
    long appended = OutboxAppender.appendedCount();
    if (appended != appendedSeen) {
      appendedSeen = appended;
      signal();
    }
  }

  private void wake() {
    if (stopping) {
      return;
    }
    if (claiming) {
      wakeAgain = true;
      return;
    }
    // claims are not held back by the marks of earlier rounds: with the writer busy, waiting for each round's
    // marks capped delivery below the rate events are written at (docs/performance.md)
    int room = Math.min(settings.batchSize(), settings.maxInFlight() - inFlight);
    if (room <= 0) {
      wakeAgain = true; // recorded outcomes make room and wake again
      return;
    }
    claiming = true;
    wakeAgain = false;
    long now = clock.millis();
    long lease = now + 2L * settings.deliveryTimeoutMs() + 10_000L;
    store.writer().submitJdbc(tx -> OutboxRepository.claim(tx, owner, now, lease, room)).onComplete(claimed -> {
      claiming = false;
      if (claimed.failed()) {
        LOG.warn("outbox claim failed: {}", claimed.cause().getMessage());
        scheduleAt(clock.millis() + settings.pollMaxMs());
        return;
      }
      List<ClaimedEvent> events = claimed.result();
      if (events.isEmpty()) {
        scheduleAt(clock.millis() + idleDelay);
        idleDelay = Math.min(idleDelay * 2, settings.pollMaxMs());
      } else {
        idleDelay = settings.pollMinMs();
        inFlight += events.size();
        dispatch(events);
        if (events.size() == room) {
          wakeAgain = true; // there may be more
        }
      }
      if (wakeAgain && !stopping) {
        wake();
      } else {
        checkDrained();
      }
    });
  }

  /** The safety net: a cheap read decides whether a claim (a write) is worth it. */
  private void poll() {
    if (stopping) {
      return;
    }
    OutboxRepository.nextDue(store.readers().pool()).onComplete(next -> {
      long now = clock.millis();
      if (next.failed() || (next.result() != null && next.result() <= now)) {
        wake();
        return;
      }
      long nextPoll = now + idleDelay;
      idleDelay = Math.min(idleDelay * 2, settings.pollMaxMs());
      scheduleAt(next.result() == null ? nextPoll : Math.min(nextPoll, next.result()));
    });
  }

  private void dispatch(List<ClaimedEvent> events) {
    Map<String, List<ClaimedEvent>> byAggregate = new LinkedHashMap<>();
    for (ClaimedEvent e : events) {
      byAggregate.computeIfAbsent(e.aggregateKey(), k -> new ArrayList<>()).add(e);
    }
    byAggregate.values().forEach(chain -> deliverChain(chain, 0));
  }

  /** Delivers an aggregate's events one after another; after a failure the rest are released, not attempted. */
  private void deliverChain(List<ClaimedEvent> chain, int index) {
    ClaimedEvent event = chain.get(index);
    deliver(event).onComplete(outcome -> {
      if (crashed) {
        return;
      }
      if (crashAfterDelivery.test(event)) {
        crash();
        return;
      }
      long now = clock.millis();
      if (outcome.succeeded()) {
        record(Mark.published(event, now));
        if (index + 1 < chain.size()) {
          if (stopping) {
            // finish what is in flight, start nothing new: the rest goes back to PENDING for the next start
            for (int i = index + 1; i < chain.size(); i++) {
              record(Mark.released(chain.get(i)));
            }
          } else {
            deliverChain(chain, index + 1);
          }
        }
        return;
      }
      metrics.failedAttempt();
      DeliveryFailure failure = DeliveryFailure.classify(outcome.cause(), settings.deliveryTimeoutMs());
      if (!failure.retryable() || retry.exhausted(event.attempts())) {
        metrics.blocked();
        LOG.warn("outbox event seq {} ({} of {} {}) is BLOCKED after {} attempt(s): {}; requeue or skip it "
            + "(trading.outbox.requeue / trading.outbox.skip)", event.seq(), event.type(), event.aggregateType(),
            event.aggregateId(), event.attempts(), failure.message());
        record(Mark.blocked(event, now, failure.message()));
      } else {
        metrics.retried();
        long next = now + retry.delayAfter(event.attempts());
        record(Mark.retry(event, now, next, failure.message()));
        scheduleAt(next);
      }
      for (int i = index + 1; i < chain.size(); i++) {
        record(Mark.released(chain.get(i)));
      }
    });
  }

  private Future<Void> deliver(ClaimedEvent event) {
    JsonObject envelope = event.envelope();
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(settings.deliveryTimeoutMs())
        .addHeader("eventId", event.eventId())
        .addHeader("seq", String.valueOf(event.seq()))
        .addHeader("type", event.type())
        .addHeader("attempt", String.valueOf(event.attempts()));
    EventBus bus = vertx.eventBus();
    bus.publish(Addresses.EVENTS, envelope, options);
    bus.publish(Addresses.EVENTS + "." + event.type(), envelope, options);
    if (settings.subscribers().isEmpty()) {
      return Future.succeededFuture();
    }
    List<Future<?>> acks = new ArrayList<>();
    for (String subscriber : settings.subscribers()) {
      acks.add(bus.request(subscriber, envelope, options)
          .recover(err -> Future.failedFuture(new DeliveryFailure.Cause(subscriber, err))));
    }
    return Future.all(acks).mapEmpty();
  }

  private void record(Mark mark) {
    marks.add(mark);
    flushMarks();
  }

  /** One mark transaction at a time; outcomes arriving meanwhile go in the next. */
  private void flushMarks() {
    if (marking || marks.isEmpty() || crashed) {
      return;
    }
    marking = true;
    List<Mark> batch = new ArrayList<>(marks);
    marks.clear();
    store.writer().submitJdbc(tx -> {
      OutboxRepository.mark(tx, batch);
      return null;
    }).onComplete(done -> {
      marking = false;
      if (crashed) {
        return;
      }
      if (done.failed()) {
        if (drained != null && drained.future().isComplete()) {
          // stopped (the writer is closing): the claims stay IN_FLIGHT and are reclaimed at the next start
          LOG.warn("{} outbox outcome(s) not recorded at stop; those events will be delivered again", batch.size());
          return;
        }
        LOG.warn("recording {} outbox outcome(s) failed ({}); retrying", batch.size(), done.cause().getMessage());
        marks.addAll(0, batch);
        vertx.setTimer(100, id -> flushMarks());
        return;
      }
      inFlight -= batch.size();
      for (Mark m : batch) {
        if (m.outcome() == Mark.Outcome.PUBLISHED) {
          metrics.delivered(m.at() - m.createdAt());
        }
      }
      flushMarks();
      if (stopping) {
        checkDrained();
      } else {
        wake(); // later events of the same aggregates may be claimable now
      }
    });
  }

  private void checkDrained() {
    if (drained != null && inFlight == 0 && !claiming && !marking && marks.isEmpty()) {
      drained.tryComplete();
    }
  }

  /** Test hook: behave as a process that died here, leaving its claims in flight and its outcomes unrecorded. */
  private void crash() {
    LOG.warn("outbox dispatcher crash simulated by a test hook");
    crashed = true;
    stopping = true;
    marks.clear();
    cancelTimer();
    store.writer().removeCommitListener(commitListener);
    if (drained != null) {
      drained.tryComplete();
    }
  }

  private void scheduleAt(long at) {
    if (stopping || at >= timerAt) {
      return;
    }
    cancelTimer();
    timerAt = at;
    timerId = vertx.setTimer(Math.max(1, at - clock.millis()), id -> {
      timerId = -1;
      timerAt = Long.MAX_VALUE;
      poll();
    });
  }

  private void cancelTimer() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    timerAt = Long.MAX_VALUE;
  }

  /** For the status command. */
  int inFlight() {
    return inFlight;
  }

  /** Whether the hook crashed this dispatcher (tests). */
  boolean crashed() {
    return crashed;
  }

  /** Classification of a failed delivery: retry later, or block at once. */
  record DeliveryFailure(String message, boolean retryable) {
    /** The failure of one subscriber's acknowledgement. */
    static final class Cause extends RuntimeException {
      final String subscriber;

      Cause(String subscriber, Throwable cause) {
        super(cause.getMessage(), cause, false, false);
        this.subscriber = subscriber;
      }
    }

    /**
     * A subscriber that answers with a 4xx failure code says the event itself is unacceptable: retrying cannot
     * help, so the event is blocked at once. Timeouts, missing consumers and other failures are retried.
     */
    static DeliveryFailure classify(Throwable error, long timeoutMs) {
      String subscriber = error instanceof Cause c ? c.subscriber : "?";
      Throwable cause = error instanceof Cause c ? c.getCause() : error;
      if (cause instanceof ReplyException reply) {
        return switch (reply.failureType()) {
          case TIMEOUT -> new DeliveryFailure("subscriber " + subscriber + " did not acknowledge within " + timeoutMs + " ms", true);
          case NO_HANDLERS -> new DeliveryFailure("no consumer registered at subscriber address " + subscriber, true);
          default -> {
            int code = reply.failureCode();
            boolean refused = code >= 400 && code < 500;
            yield new DeliveryFailure("subscriber " + subscriber + " failed the event (code " + code + "): "
                + reply.getMessage(), !refused);
          }
        };
      }
      return new DeliveryFailure("delivery to " + subscriber + " failed: " + cause, true);
    }
  }
}
