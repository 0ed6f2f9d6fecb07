package io.tradestore.metrics;

import java.time.Duration;

/** Explicit histogram buckets shared by the engine's timers, so that p99 can be computed with histogram_quantile. */
final class LatencyBuckets {
  private LatencyBuckets() { }

  /** 100 µs to 10 s, roughly 1-2.5-5 per decade: a command is sub-millisecond when idle, seconds when stuck. */
  static final Duration[] SUB_MILLIS_TO_SECONDS = {
      Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
      Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  /** Commands per commit: the writer's maxBatchSize defaults to 256, its limit is in the thousands. */
  static final double[] BATCH_SIZES = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
}
