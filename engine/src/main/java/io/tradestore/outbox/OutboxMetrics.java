package io.tradestore.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** What an operator alerts on: delivery outcomes, lag, and the backlog by status. */
final class OutboxMetrics {
  private final Counter delivered;
  private final Counter failedAttempts;
  private final Counter retried;
  private final Counter blocked;
  private final Timer publishLatency;
  private final ConcurrentHashMap<String, Long> byStatus = new ConcurrentHashMap<>();
  private final AtomicReference<Double> oldestPendingAgeSeconds = new AtomicReference<>(0.0);

  private final FinishedEvents finished;

  OutboxMetrics(MeterRegistry registry, FinishedEvents finished) {
    this.finished = finished;
    delivered = Counter.builder("tradestore.outbox.delivered").description("Events published and acknowledged by every subscriber").register(registry);
    failedAttempts = Counter.builder("tradestore.outbox.delivery.failures").description("Delivery attempts that failed").register(registry);
    retried = Counter.builder("tradestore.outbox.retries").description("Failed events scheduled for another attempt").register(registry);
    blocked = Counter.builder("tradestore.outbox.blocked").description("Events that became BLOCKED (max attempts or refused)").register(registry);
    publishLatency = Timer.builder("tradestore.outbox.publish.latency")
        .description("From the commit that wrote an event to its acknowledged publication")
        .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30))
        .register(registry);
    for (String status : List.of("PENDING", "IN_FLIGHT", "PUBLISHED", "BLOCKED", "SKIPPED")) {
      byStatus.put(status, 0L);
      Gauge.builder("tradestore.outbox.events", byStatus, m -> m.getOrDefault(status, 0L))
          .tag("status", status).description("Outbox rows by status").register(registry);
    }
    Gauge.builder("tradestore.outbox.oldest.pending.age", oldestPendingAgeSeconds, AtomicReference::get)
        .baseUnit("seconds").description("Age of the oldest event not yet published (0 when none)").register(registry);
  }

  /** An event's PUBLISHED outcome committed. */
  void delivered(long commitToPublishMillis) {
    delivered.increment();
    finished.published(1);
    publishLatency.record(Duration.ofMillis(Math.max(0, commitToPublishMillis)));
  }

  void failedAttempt() {
    failedAttempts.increment();
  }

  void retried() {
    retried.increment();
  }

  void blocked() {
    blocked.increment();
  }

  /** Updates the gauges from a {@code trading.outbox.status} snapshot. */
  void snapshot(JsonObject status) {
    JsonObject counts = status.getJsonObject("counts");
    counts.forEach(e -> byStatus.put(e.getKey(), ((Number) e.getValue()).longValue()));
    Long age = status.getLong("oldestPendingAgeMs");
    oldestPendingAgeSeconds.set(age == null ? 0.0 : age / 1000.0);
  }
}
