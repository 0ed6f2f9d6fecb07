package io.tradestore.alert;

import io.tradestore.Addresses;
import io.tradestore.CommandFailure;
import io.tradestore.ExpiryTimer;
import io.tradestore.ErrorCode;
import io.tradestore.bus.CommandHandler;
import io.tradestore.bus.CommandVerticle;
import io.tradestore.bus.Request;
import io.tradestore.domain.alert.Alert;
import io.tradestore.domain.book.BookResult.AlertResult;
import io.tradestore.domain.book.TradingCommand.ExpireAlerts;
import io.tradestore.metrics.CommandMetrics;
import io.tradestore.store.StoreReaders;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.Map;

/**
 * Routes {@code trading.alerts.*}: create and cancel are decided by the {@link AlertService}; reads use the
 * readers. Runs the alerts' {@link ExpiryTimer}: alerts past {@code expiresAt} are marked EXPIRED at their expiry.
 */
public final class AlertVerticle extends CommandVerticle {
  private static final int EXPIRY_BATCH = 500;

  private final StoreReaders readers;
  private final AlertService alerts;
  private final Clock clock;
  private ExpiryTimer expiry;

  public AlertVerticle(StoreReaders readers, AlertService alerts, Clock clock, CommandMetrics commands) {
    super(commands);
    this.readers = readers;
    this.alerts = alerts;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    expiry = new ExpiryTimer(vertx, clock, "alert", () -> alerts.expire(new ExpireAlerts(EXPIRY_BATCH))
        .map(run -> new ExpiryTimer.Run(run.expired().size(), run.expired().size() == EXPIRY_BATCH, run.nextExpiry())));
    return bindRoutes().onSuccess(v -> expiry.start());
  }

  @Override
  public Future<?> stop() {
    expiry.stop();
    return Future.succeededFuture();
  }

  @Override
  protected Map<String, CommandHandler> routes() {
    return Map.of(
        Addresses.ALERTS_CREATE, r -> alerts.create(AlertRequests.create(r, clock.millis())).map(created -> {
          if (!created.duplicate()) {
            expiry.onExpiry(created.alert().expiresAt());
          }
          return reply(created);
        }),
        Addresses.ALERTS_CANCEL, r -> alerts.cancel(AlertRequests.cancel(r)).map(this::reply),
        Addresses.ALERTS_GET, this::get,
        Addresses.ALERTS_LIST, r -> {
          long now = clock.millis();
          return AlertReads.list(readers, AlertRequests.list(r), now)
              .map(page -> page.toJson("alerts", a -> AlertJson.of(a, now)));
        },
        Addresses.ALERTS_FIRINGS, this::firings);
  }

  private JsonObject reply(AlertResult result) {
    return AlertJson.of(result.alert(), clock.millis()).put("duplicate", result.duplicate());
  }

  private Future<JsonObject> get(Request r) {
    return existing(r.text("alertId")).map(alert -> AlertJson.of(alert, clock.millis()));
  }

  private Future<JsonObject> firings(Request r) {
    String alertId = r.text("alertId");
    Long cursor = r.optionalCursor("cursor");
    int limit = r.limit("limit", 100, 1000);
    return existing(alertId).compose(alert -> AlertReads.firings(readers, alertId, cursor, limit)
        .map(page -> page.toJson("firings", f -> f).put("alertId", alertId)));
  }

  /** The stored alert, or a 404 naming {@code alertId}. */
  private Future<Alert> existing(String alertId) {
    return AlertReads.find(readers, alertId).compose(alert -> alert == null
        ? Future.failedFuture(new CommandFailure(ErrorCode.NOT_FOUND, "no alert " + alertId, "alertId"))
        : Future.succeededFuture(alert));
  }
}
