package io.tradestore.startup;

import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradestore.config.EngineConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

/**
 * A running engine: its Vert.x instance, with Micrometer metrics in a Prometheus registry of its own, and the
 * startup verticle that owns everything else. The process entry point and the tests both start it this way.
 */
public final class Engine {
  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final StartupVerticle startup;

  private Engine(Vertx vertx, PrometheusMeterRegistry registry, StartupVerticle startup) {
    this.vertx = vertx;
    this.registry = registry;
    this.startup = startup;
  }

  /** Starts the engine; on failure everything started so far is closed again and the cause is returned. */
  public static Future<Engine> start(EngineConfig config) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        // our addresses are a fixed, small set, so labelling by address is safe
        .addLabels(Label.EB_ADDRESS, Label.EB_FAILURE);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    StartupVerticle startup = new StartupVerticle(config, registry);
    return vertx.deployVerticle(startup)
        .map(id -> new Engine(vertx, registry, startup))
        .recover(err -> vertx.close().transform(x -> Future.failedFuture(err)));
  }

  /** Graceful stop: stop taking commands, commit what is in flight, checkpoint, close the database. */
  public Future<Void> stop() {
    return vertx.close();
  }

  public Vertx vertx() {
    return vertx;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public StartupVerticle startup() {
    return startup;
  }
}
