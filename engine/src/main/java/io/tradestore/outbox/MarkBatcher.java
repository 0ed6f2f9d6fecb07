package io.tradestore.outbox;

import io.tradestore.CommandFailure;
import io.tradestore.store.StoreWriter;
import io.tradestore.store.Write;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Records delivery outcomes ({@link Mark}s) in batches, one mark transaction at a time. The first mark of a batch
 * waits up to {@link #LINGER_MS} for company, unless {@link #AT_ONCE} are waiting or the dispatcher is stopping.
 * Recorded one by one, at a quarter of full load every command's transaction was followed by a transaction of its
 * events' marks: half the writer's transactions. A mark recorded later only widens the window in which a crash
 * delivers the event again. A batch that fails is retried (ten times a second) until it commits, except once the
 * dispatcher has stopped: those rows stay PENDING and are delivered again at the next start.
 *
 * <p>Confined to the dispatcher's context; {@code recorded} hears of each batch once it committed.
 */
final class MarkBatcher {
  private static final Logger LOG = LoggerFactory.getLogger(MarkBatcher.class);
  /** How long the first outcome of a batch of marks waits for others. */
  static final long LINGER_MS = 5;
  /** Marks waiting that are recorded at once, without the linger. */
  static final int AT_ONCE = 256;

  private final Vertx vertx;
  private final StoreWriter writer;
  private final Consumer<List<Mark>> recorded;
  private final BooleanSupplier stopped;
  private final List<Mark> waiting = new ArrayList<>();
  private boolean marking;
  private boolean discarded;
  private boolean noLinger;
  private long lingerTimer = -1;

  /**
   * @param recorded told of each batch after its commit
   * @param stopped  true once the dispatcher has stopped: a batch that fails then is given up
   */
  MarkBatcher(Vertx vertx, StoreWriter writer, Consumer<List<Mark>> recorded, BooleanSupplier stopped) {
    this.vertx = vertx;
    this.writer = writer;
    this.recorded = recorded;
    this.stopped = stopped;
  }

  void record(Mark mark) {
    waiting.add(mark);
    if (waiting.size() >= AT_ONCE || noLinger) {
      flush();
    } else if (lingerTimer < 0) {
      lingerTimer = vertx.setTimer(LINGER_MS, id -> {
        lingerTimer = -1;
        flush();
      });
    }
  }

  /** Stopping: what waits goes now, and every later mark at once. */
  void flushWithoutLinger() {
    noLinger = true;
    flush();
  }

  /** A crash (the test hook): nothing waiting is recorded, now or later. */
  void discard() {
    discarded = true;
    waiting.clear();
  }

  /** No mark waiting and none being written. */
  boolean idle() {
    return !marking && waiting.isEmpty();
  }

  /** One mark transaction at a time; outcomes arriving meanwhile go in the next, as soon as it ends. */
  void flush() {
    if (marking || waiting.isEmpty() || discarded) {
      return;
    }
    if (lingerTimer >= 0) {
      vertx.cancelTimer(lingerTimer);
      lingerTimer = -1;
    }
    marking = true;
    List<Mark> batch = new ArrayList<>(waiting);
    waiting.clear();
    writer.submit(Write.jdbc(tx -> {
      OutboxRepository.mark(tx, batch);
      return null;
    })).onComplete(done -> {
      marking = false;
      if (discarded) {
        return;
      }
      if (done.failed()) {
        if (stopped.getAsBoolean()) {
          LOG.warn("{} outbox outcome(s) not recorded at stop; those events will be delivered again", batch.size());
          return;
        }
        if (!(done.cause() instanceof CommandFailure failure && failure.code().isStorageFault())) {
          // a storage fault is logged by the writer, rate-limited; this retry runs ten times a second
          LOG.warn("recording {} outbox outcome(s) failed ({}); retrying", batch.size(), done.cause().getMessage());
        }
        waiting.addAll(0, batch);
        vertx.setTimer(100, id -> flush());
        return;
      }
      recorded.accept(batch);
      flush();
    });
  }
}
