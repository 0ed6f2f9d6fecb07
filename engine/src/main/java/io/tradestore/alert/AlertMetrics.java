package io.tradestore.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tradestore.domain.alert.Alert;
import io.tradestore.domain.alert.AlertFiring;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The alert meters (docs/metrics.md): active alerts by kind, firings by cause, evaluation time per command. */
public final class AlertMetrics implements AlertObserver {
  private final Map<Alert.Kind, AtomicLong> active = new EnumMap<>(Alert.Kind.class);
  private final Map<AlertFiring.Cause, Counter> firings = new EnumMap<>(AlertFiring.Cause.class);
  private final AtomicLong evaluations = new AtomicLong();
  private final AtomicLong evaluationNanos = new AtomicLong();

  public AlertMetrics(MeterRegistry registry) {
    for (Alert.Kind kind : Alert.Kind.values()) {
      AtomicLong count = new AtomicLong();
      active.put(kind, count);
      Gauge.builder("tradestore.alerts.active", count, AtomicLong::get).tag("kind", AlertJson.name(kind))
          .description("Active alerts by the value they watch").register(registry);
    }
    for (AlertFiring.Cause cause : AlertFiring.Cause.values()) {
      firings.put(cause, Counter.builder("tradestore.alerts.triggered").tag("cause", cause.name().toLowerCase(Locale.ROOT))
          .description("Alert firings committed, by what caused them (a quote or a fill)").register(registry));
    }
    // a count and a total, added to once per commit: the writer's context records nothing per evaluation
    FunctionTimer.builder("tradestore.alerts.evaluation", this, m -> m.evaluations.get(),
            m -> m.evaluationNanos.get(), TimeUnit.NANOSECONDS)
        .description("Time the writer spent evaluating alerts, and the quotes and position changes evaluated")
        .register(registry);
  }

  @Override
  public void committed(Map<Alert.Kind, Long> activeByKind, List<AlertFiring> committed, long evaluations,
                        long evaluationNanos) {
    active.forEach((kind, count) -> count.set(activeByKind.getOrDefault(kind, 0L)));
    committed.forEach(f -> firings.get(f.cause()).increment());
    this.evaluations.addAndGet(evaluations);
    this.evaluationNanos.addAndGet(evaluationNanos);
  }
}
