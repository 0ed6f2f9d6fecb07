package io.tradestore.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.tradestore.Addresses;
import io.tradestore.CommandFailure;
import io.tradestore.ErrorCode;
import io.tradestore.bus.CommandHandler;
import io.tradestore.bus.CommandVerticle;
import io.tradestore.bus.Request;
import io.tradestore.config.EngineConfig;
import io.tradestore.metrics.CommandMetrics;
import io.tradestore.store.Store;
import io.tradestore.store.Write;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Owns the {@link OutboxDispatcher} and answers the operator commands {@code trading.outbox.status},
 * {@code requeue}, {@code skip} and {@code replay}.
 */
public final class OutboxVerticle extends CommandVerticle {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxVerticle.class);
  private static final int REPLAY_MAX = 10_000;

  private final Store store;
  private final EngineConfig.Outbox settings;
  private final Clock clock;
  private final MeterRegistry registry;
  private final OutboxFeed feed;
  private final FinishedEvents finished;
  private final DeliveryObserver deliveries;
  private OutboxDispatcher dispatcher;
  private OutboxMetrics metrics;
  private long gaugeTimer = -1;
  private boolean scanning;

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
    gaugeTimer = vertx.setPeriodic(1_000, 5_000, id -> refreshGauges());
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

  /**
   * Every 5 s, from the partial indexes of the unfinished events; the finished ones are scanned for only until a
   * first count succeeds, then kept by {@link FinishedEvents}.
   */
  private void refreshGauges() {
    boolean scan = !finished.counted() && !scanning;
    scanning |= scan;
    FinishedEvents.ScanStart start = finished.scanStarting();
    OutboxRepository.status(store.readers().pool(), clock.millis(), 0, scan)
        .map(this::withInFlight)
        .map(status -> scan ? countedFinished(start, status) : withKeptFinished(status))
        .onSuccess(metrics::snapshot)
        .onFailure(err -> LOG.debug("outbox gauges not refreshed: {}", err.getMessage()))
        .onComplete(done -> scanning &= !scan);
  }

  private Future<JsonObject> status(Request r) {
    int limit = r.limit("limit", 100, 1000);
    boolean scan = !r.has("finished") || r.bool("finished");
    FinishedEvents.ScanStart start = finished.scanStarting();
    return OutboxRepository.status(store.readers().pool(), clock.millis(), limit, scan).map(this::withInFlight).map(status -> {
      metrics.snapshot(scan ? countedFinished(start, status) : withKeptFinished(status));
      return status.put("subscribers", settings.subscribers());
    });
  }

  /** A scan's finished counts become what the engine keeps from now on (the reply shows the scan's own). */
  private JsonObject countedFinished(FinishedEvents.ScanStart start, JsonObject status) {
    JsonObject counts = status.getJsonObject("counts");
    finished.counted(start, counts.getLong("PUBLISHED", 0L), counts.getLong("SKIPPED", 0L));
    return withKeptFinished(status);
  }

  /** For the gauges only (a reply without {@code finished} leaves them out, as documented). */
  private JsonObject withKeptFinished(JsonObject status) {
    if (!finished.counted()) {
      return status;
    }
    JsonObject copy = status.copy();
    copy.getJsonObject("counts").put("PUBLISHED", finished.published()).put("SKIPPED", finished.skipped());
    return copy;
  }

  /**
   * The dispatcher keeps its deliveries in memory and their rows stay PENDING until the outcome is recorded, so the
   * database's PENDING count includes them: they are shown as IN_FLIGHT instead (added to what an older version may
   * have left IN_FLIGHT in the rows, until it is reclaimed at start).
   */
  private JsonObject withInFlight(JsonObject status) {
    JsonObject counts = status.getJsonObject("counts");
    long inFlight = dispatcher.inFlight();
    long pending = counts.getLong("PENDING");
    long taken = Math.min(inFlight, pending); // the read and the count in memory are not taken at the same instant
    counts.put("PENDING", pending - taken).put("IN_FLIGHT", counts.getLong("IN_FLIGHT") + taken);
    return status;
  }

  private Future<JsonObject> requeue(Request r) {
    long seq = seq(r);
    String reason = r.optionalNote("reason");
    return operate(seq, "requeued", tx -> OutboxRepository.requeue(tx, seq, clock.millis(), reason));
  }

  private Future<JsonObject> skip(Request r) {
    long seq = seq(r);
    String reason = r.optionalNote("reason");
    return operate(seq, "skipped", tx -> OutboxRepository.skip(tx, seq, clock.millis(), reason));
  }

  /** Requeue and skip act on BLOCKED events only: anything else is left to the dispatcher. */
  private Future<JsonObject> operate(long seq, String done, io.tradestore.store.Write.WriteCommand<Boolean> change) {
    dispatcher.rescan(); // before the change can be seen: the events it releases go first
    return store.writer().submit(Write.refusingBeforeWriting(tx -> OutboxRepository.find(tx, seq).compose(event -> {
      if (event == null) {
        return Future.failedFuture(new CommandFailure(ErrorCode.NOT_FOUND, "no outbox event with seq " + seq, "seq"));
      }
      if (!"BLOCKED".equals(event.getString("status"))) {
        return Future.failedFuture(new CommandFailure(ErrorCode.CONFLICT,
            "outbox event " + seq + " is " + event.getString("status") + ", not BLOCKED", "seq"));
      }
      return change.execute(tx).compose(v -> OutboxRepository.find(tx, seq));
    }))).andThen(x -> dispatcher.rescanNow()).map(event -> {
      if ("SKIPPED".equals(event.getString("status"))) {
        finished.skipped(1);
      }
      LOG.info("outbox event seq {} ({}) {} by an operator", seq, event.getString("type"), done);
      return event;
    });
  }

  /**
   * Re-sends retained events from {@code fromSeq}, in seq order, to {@code address}, each acknowledged before the
   * next: a consumer that was down catches up from the last seq it saw. Stops at the first failure.
   */
  private Future<JsonObject> replay(Request r) {
    long fromSeq = r.has("fromSeq") ? positiveLong(r, "fromSeq") : 1L;
    String address = r.text("address");
    String aggregateType = r.optionalText("aggregateType");
    String aggregateId = r.optionalText("aggregateId");
    if ((aggregateType == null) != (aggregateId == null)) {
      throw CommandFailure.invalid(aggregateType == null ? "aggregateType" : "aggregateId",
          "aggregateType and aggregateId go together");
    }
    int limit = r.limit("limit", 1_000, REPLAY_MAX);
    return OutboxRepository.from(store.readers().pool(), fromSeq, aggregateType, aggregateId, limit).compose(batch -> {
      Promise<JsonObject> done = Promise.promise();
      replayFrom(batch.events(), 0, address, done);
      return done.future().map(result -> result
          .put("fromSeq", fromSeq)
          .put("nextSeq", result.containsKey("failedSeq") ? null : batch.nextSeq()));
    });
  }

  private void replayFrom(List<ClaimedEvent> events, int index, String address, Promise<JsonObject> done) {
    if (index == events.size()) {
      done.complete(new JsonObject().put("replayed", index).put("lastSeq", index == 0 ? null : events.get(index - 1).seq()));
      return;
    }
    ClaimedEvent event = events.get(index);
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(settings.deliveryTimeoutMs())
        .addHeader("eventId", event.eventId()).addHeader("seq", String.valueOf(event.seq()))
        .addHeader("type", event.type()).addHeader("replay", "true");
    vertx.eventBus().request(address, event.envelope(), options).onComplete(ack -> {
      if (ack.succeeded()) {
        replayFrom(events, index + 1, address, done);
      } else {
        done.complete(new JsonObject().put("replayed", index)
            .put("lastSeq", index == 0 ? null : events.get(index - 1).seq())
            .put("failedSeq", event.seq())
            .put("error", DeliveryFailure.classify(
                new DeliveryFailure.Cause(address, ack.cause()), settings.deliveryTimeoutMs()).message()));
      }
    });
  }

  private static long seq(Request r) {
    return positiveLong(r, "seq");
  }

  private static long positiveLong(Request r, String field) {
    Object value = r.has(field) ? r.raw(field) : null;
    if (value instanceof Integer || value instanceof Long) {
      long n = ((Number) value).longValue();
      if (n > 0) {
        return n;
      }
    }
    throw CommandFailure.invalid(field, field + " must be a positive whole number");
  }
}
