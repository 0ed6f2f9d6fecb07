package io.tradestore.startup;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.tradestore.Addresses;
import io.tradestore.config.EngineConfig;
import io.tradestore.outbox.EventTypes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A running engine: its Vert.x instance, with Micrometer metrics in a Prometheus registry of its own, and the
 * startup verticle that owns everything else. The process entry point and the tests both start it this way.
 */
public final class Engine {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final StartupVerticle startup;
  private final JvmGcMetrics gcMetrics;

  private Engine(Vertx vertx, PrometheusMeterRegistry registry, StartupVerticle startup, JvmGcMetrics gcMetrics) {
    this.vertx = vertx;
    this.registry = registry;
    this.startup = startup;
    this.gcMetrics = gcMetrics;
  }

  /**
   * Starts the engine and waits until it serves. On failure everything started so far is closed again and the
   * cause is thrown. Call from a plain thread (main, a test), never from a Vert.x thread.
   */
  public static Engine start(EngineConfig config) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Set<String> knownAddresses = new HashSet<>(Addresses.ALL);
    knownAddresses.addAll(config.outbox().subscribers());
    EventTypes.ALL.forEach(type -> knownAddresses.add(Addresses.EVENTS + "." + type));
    // label values must stay a small, fixed set: reply addresses and invented ones are counted as "other"
    registry.config().meterFilter(MeterFilter.replaceTagValues("address", a -> knownAddresses.contains(a) ? a : "other"));
    JvmGcMetrics gc = new JvmGcMetrics();
    for (MeterBinder binder : List.of(new JvmMemoryMetrics(), gc, new JvmThreadMetrics(), new ClassLoaderMetrics(),
        new JvmInfoMetrics(), new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics())) {
      binder.bindTo(registry);
    }
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        // our addresses are a fixed, small set, so labelling by address is safe
        .addLabels(Label.EB_ADDRESS, Label.EB_FAILURE);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .withTransport(transport(config.vertx()))
        .build();
    StartupVerticle startup = new StartupVerticle(config, registry);
    try {
      vertx.deployVerticle(startup).await();
      return new Engine(vertx, registry, startup, gc);
    } catch (Exception e) { // await() also rethrows checked causes, such as a BindException
      // closed from here, not from a callback of the failed deployment, whose event loop the close stops
      vertx.close().await();
      gc.close();
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * The platform's native transport unless configured off. On Java NIO the event loops' selector woke itself about
   * a hundred times per command under load and they spent twice the CPU per command (docs/performance.md).
   */
  public static Transport transport(EngineConfig.VertxRuntime settings) {
    if (!settings.preferNativeTransport()) {
      return Transport.NIO;
    }
    Transport nativeTransport = Transport.nativeTransport();
    if (nativeTransport != null && nativeTransport.available()) {
      return nativeTransport;
    }
    LOG.warn("vertx.preferNativeTransport: no native transport on this platform ({}); running on Java NIO, which costs "
        + "more CPU per message", nativeTransport == null ? "none found" : nativeTransport.unavailabilityCause());
    return Transport.NIO;
  }

  /** The name of the transport the engine's event loops run on: epoll, io_uring, kqueue or nio. */
  public static String transportName(Vertx vertx) {
    return vertx.isNativeTransportEnabled() ? Transport.nativeTransport().name() : Transport.NIO.name();
  }

  /** Graceful stop: stop taking commands, commit what is in flight, checkpoint, close the database. */
  public Future<Void> stop() {
    // the ordered stop first: left to vertx.close(), the children would be undeployed all at once
    return startup.shutdown().eventually(vertx::close).andThen(x -> gcMetrics.close());
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
