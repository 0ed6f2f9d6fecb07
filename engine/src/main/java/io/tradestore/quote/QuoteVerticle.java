package io.tradestore.quote;

import io.tradestore.Addresses;
import io.tradestore.CommandFailure;
import io.tradestore.ErrorCode;
import io.tradestore.bus.CommandHandler;
import io.tradestore.bus.CommandVerticle;
import io.tradestore.bus.Request;
import io.tradestore.metrics.CommandMetrics;
import io.tradestore.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Routes {@code trading.quotes.*}: submit is decided by the {@link QuoteService} (with the orders that may use the
 * quote), cancel by {@link QuoteCancels}, get and list read from the readers.
 */
public final class QuoteVerticle extends CommandVerticle {
  private final Store store;
  private final QuoteService quotes;
  private final MarkPrices marks;
  private final Clock clock;
  private final LongConsumer expiredListener;
  private final QuoteCancels cancels;
  private QuoteExpiry expiry;

  /** @param expiredListener told how many quotes each expiry run marked EXPIRED (metrics) */
  public QuoteVerticle(Store store, QuoteService quotes, MarkPrices marks, Clock clock, LongConsumer expiredListener, CommandMetrics commands) {
    super(commands);
    this.store = store;
    this.quotes = quotes;
    this.marks = marks;
    this.clock = clock;
    this.expiredListener = expiredListener;
    this.cancels = new QuoteCancels(store.writer(), clock);
  }

  @Override
  protected Map<String, CommandHandler> routes() {
    return Map.of(
        Addresses.QUOTES_SUBMIT, this::submit,
        Addresses.QUOTES_CANCEL, this::cancel,
        Addresses.QUOTES_GET, this::get,
        Addresses.QUOTES_ACTIVE, this::active);
  }

  @Override
  public Future<?> start() {
    expiry = new QuoteExpiry(vertx, store, clock, expiredListener);
    return bindRoutes().onSuccess(v -> expiry.start());
  }

  @Override
  public Future<?> stop() {
    expiry.stop();
    return Future.succeededFuture();
  }

  private Future<JsonObject> submit(Request r) {
    return quotes.submit(QuoteRequests.submit(r, clock.millis())).map(outcome -> {
      if (!outcome.duplicate()) {
        expiry.onQuote(outcome.quote().expiresAt()); // its mark was set by the book at the commit
      }
      return QuoteJson.of(outcome.quote(), clock.millis()).put("duplicate", outcome.duplicate());
    });
  }

  private Future<JsonObject> cancel(Request r) {
    return cancels.cancel(r.text("quoteId")).map(outcome -> {
      marks.onCancelled(outcome.quote());
      return QuoteJson.of(outcome.quote(), clock.millis()).put("duplicate", outcome.duplicate());
    });
  }

  private Future<JsonObject> get(Request r) {
    String quoteId = r.text("quoteId");
    return QuoteStore.find(store.readers().pool(), quoteId).compose(quote -> quote == null
        ? Future.failedFuture(new CommandFailure(ErrorCode.NOT_FOUND, "no quote " + quoteId, "quoteId"))
        : Future.succeededFuture(QuoteJson.of(quote, clock.millis())));
  }

  private Future<JsonObject> active(Request r) {
    String symbol = r.optionalText("symbol");
    int limit = r.limit("limit", 100, 1000);
    Request.TimeCursor cursor = r.optionalTimeCursor("cursor");
    long now = clock.millis();
    return QuoteStore.active(store.readers().pool(), symbol, now, cursor == null ? Long.MAX_VALUE : cursor.at(),
            cursor == null ? Long.MAX_VALUE : cursor.id(), limit)
        .map(page -> page.toJson("quotes", q -> QuoteJson.of(q, now)));
  }

}
