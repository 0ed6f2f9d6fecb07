package io.tradestore.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.HdrHistogram.Recorder;

/**
 * The price of one hop as vertx-jdbc-client pays it for every statement: from an event-loop context to a worker
 * thread ({@code executeBlocking}, doing nothing) and back. Sampled every few milliseconds while the engine is
 * under load, so it shows what a hop costs on this machine at that moment (thread wake-ups, run-queue waits).
 */
final class HopProbe implements AutoCloseable {
  final Recorder roundTripMicros = new Recorder(3);
  private final Vertx vertx;
  private final long timer;
  private final Context context;

  HopProbe(Vertx vertx, long periodMillis) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.timer = vertx.setPeriodic(periodMillis, t -> {
      long start = System.nanoTime();
      context.executeBlocking(() -> null).onComplete(done -> roundTripMicros.recordValue((System.nanoTime() - start) / 1000));
    });
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
