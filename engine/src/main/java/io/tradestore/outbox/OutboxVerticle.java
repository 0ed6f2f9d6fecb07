package io.tradestore.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.tradestore.Addresses;
import io.tradestore.bus.CommandHandler;
import io.tradestore.bus.CommandVerticle;
import io.tradestore.bus.Request;
import io.tradestore.config.EngineConfig;
import io.tradestore.metrics.CommandMetrics;
import io.tradestore.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Owns the {@link OutboxDispatcher} and binds the operator commands: {@code trading.outbox.status}
 * ({@link OutboxStatusReport}, which also feeds the gauges), {@code requeue} and {@code skip}
 * ({@link OutboxOperatorActions}), {@code replay} ({@link OutboxReplay}).
 */
public final class OutboxVerticle extends CommandVerticle {
  private final Store store;
  private final EngineConfig.Outbox settings;
  private final Clock clock;
  private final MeterRegistry registry;
  private final OutboxFeed feed;
  private final FinishedEvents finished;
  private final DeliveryObserver deliveries;
  private OutboxDispatcher dispatcher;
  private OutboxMetrics metrics;
  private OutboxStatusReport statusReport;
  private OutboxOperatorActions actions;
  private OutboxReplay replay;
  private long gaugeTimer = -1;

  /** An outbox that reads every event back from the table. */
  public OutboxVerticle(Store store, EngineConfig.Outbox settings, Clock clock, MeterRegistry registry) {
    this(store, settings, clock, registry, new CommandMetrics(registry), new OutboxFeed(), new FinishedEvents(),
        DeliveryObserver.NONE);
  }

  /**
   * An outbox that takes the trading book's committed events from {@code feed} when it can, and whose finished
   * counts retention also keeps ({@code finished}).
   */
  public OutboxVerticle(Store store, EngineConfig.Outbox settings, Clock clock, MeterRegistry registry,
                        CommandMetrics commands, OutboxFeed feed, FinishedEvents finished) {
    this(store, settings, clock, registry, commands, feed, finished, DeliveryObserver.NONE);
  }

  /** With an observer of deliveries, which the crash tests use to stop the dispatcher after a chosen event. */
  OutboxVerticle(Store store, EngineConfig.Outbox settings, Clock clock, MeterRegistry registry,
                 CommandMetrics commands, OutboxFeed feed, FinishedEvents finished, DeliveryObserver deliveries) {
    super(commands);
    this.feed = feed;
    this.finished = finished;
    this.store = store;
    this.settings = settings;
    this.clock = clock;
    this.registry = registry;
    this.deliveries = deliveries;
  }

  @Override
  protected Map<String, CommandHandler> routes() {
    return Map.of(
        Addresses.OUTBOX_STATUS, this::status,
        Addresses.OUTBOX_REQUEUE, this::requeue,
        Addresses.OUTBOX_SKIP, this::skip,
        Addresses.OUTBOX_REPLAY, this::replay);
  }

  @Override
  public Future<?> start() {
    metrics = new OutboxMetrics(registry, finished);
    RetryPolicy retry = new RetryPolicy(settings.backoffInitialMs(), settings.backoffMaxMs(), settings.maxAttempts(),
        () -> ThreadLocalRandom.current().nextDouble());
    dispatcher = new OutboxDispatcher(vertx, store, settings, retry, clock, metrics, feed, deliveries);
    statusReport = new OutboxStatusReport(store, clock, settings.subscribers(), finished, dispatcher, metrics);
    actions = new OutboxOperatorActions(store.writer(), clock, dispatcher, finished);
    replay = new OutboxReplay(vertx.eventBus(), store.readers(), settings.deliveryTimeoutMs());
    gaugeTimer = vertx.setPeriodic(1_000, 5_000, id -> statusReport.refreshGauges());
    return bindRoutes().compose(v -> dispatcher.start());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(gaugeTimer);
    return dispatcher.stop();
  }

  /** The dispatcher, for tests that look at how it took its events. */
  OutboxDispatcher dispatcher() {
    return dispatcher;
  }

  /** Events taken and not yet recorded (tests check the bound). */
  int inFlight() {
    return dispatcher.inFlight();
  }

  private Future<JsonObject> status(Request r) {
    return statusReport.status(r.limit("limit", 100, 1000), !r.has("finished") || r.bool("finished"));
  }

  private Future<JsonObject> requeue(Request r) {
    return actions.requeue(OutboxRequests.seq(r), r.optionalNote("reason"));
  }

  private Future<JsonObject> skip(Request r) {
    return actions.skip(OutboxRequests.seq(r), r.optionalNote("reason"));
  }

  private Future<JsonObject> replay(Request r) {
    return replay.replay(OutboxRequests.replay(r));
  }
}
