package io.tradestore.client;

import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The engine's commands and reads (docs/api.md) as typed calls. Decimals go on the wire as plain decimal text, as
 * the engine takes them; the optional fields of a command go in {@code extra} under their docs/api.md names.
 * Lists come back as {@link Pages}: the pages are fetched as the iteration reaches them.
 */
public final class Trading {
  private final TradestoreClient client;

  Trading(TradestoreClient client) {
    this.client = client;
  }

  public CompletableFuture<JsonObject> engineInfo() {
    return client.request(Addresses.ENGINE_INFO, new JsonObject());
  }

  public CompletableFuture<JsonObject> submitQuote(String quoteId, String symbol, BigDecimal bidPrice,
                                                   BigDecimal bidQuantity, BigDecimal askPrice,
                                                   BigDecimal askQuantity, JsonObject extra) {
    return client.request(Addresses.QUOTES_SUBMIT, body(extra).put("quoteId", quoteId).put("symbol", symbol)
        .put("bidPrice", text(bidPrice)).put("bidQuantity", text(bidQuantity)).put("askPrice", text(askPrice))
        .put("askQuantity", text(askQuantity)));
  }

  public CompletableFuture<JsonObject> cancelQuote(String quoteId) {
    return client.request(Addresses.QUOTES_CANCEL, new JsonObject().put("quoteId", quoteId));
  }

  public CompletableFuture<JsonObject> getQuote(String quoteId) {
    return client.request(Addresses.QUOTES_GET, new JsonObject().put("quoteId", quoteId));
  }

  /** The ACTIVE, unexpired quotes, newest first; {@code filter} may name a {@code symbol}. */
  public Pages activeQuotes(JsonObject filter) {
    return new Pages(client, Addresses.QUOTES_ACTIVE, "quotes", body(filter));
  }

  /** A LIMIT order when {@code price} is given, else MARKET (unless {@code extra} names a {@code type}). */
  public CompletableFuture<JsonObject> placeOrder(String orderId, String symbol, String side, BigDecimal quantity,
                                                  BigDecimal price, JsonObject extra) {
    JsonObject order = body(extra).put("orderId", orderId).put("symbol", symbol).put("side", side)
        .put("quantity", text(quantity));
    if (price != null) {
      order.put("price", text(price));
    }
    if (!order.containsKey("type")) {
      order.put("type", price != null ? "LIMIT" : "MARKET");
    }
    return client.request(Addresses.ORDERS_PLACE, order);
  }

  public CompletableFuture<JsonObject> updateOrder(String orderId, String status, JsonObject extra) {
    return client.request(Addresses.ORDERS_UPDATE, body(extra).put("orderId", orderId).put("status", status));
  }

  public CompletableFuture<JsonObject> cancelOrder(String orderId) {
    return client.request(Addresses.ORDERS_CANCEL, new JsonObject().put("orderId", orderId));
  }

  public CompletableFuture<JsonObject> getOrder(String orderId) {
    return client.request(Addresses.ORDERS_GET, new JsonObject().put("orderId", orderId));
  }

  /** Orders matching {@code filter} ({@code account}, {@code symbol}, {@code status}, ...), newest first. */
  public Pages orders(JsonObject filter) {
    return new Pages(client, Addresses.ORDERS_LIST, "orders", body(filter));
  }

  public CompletableFuture<JsonObject> recordFill(String fillId, String orderId, BigDecimal price,
                                                  BigDecimal quantity, JsonObject extra) {
    return client.request(Addresses.FILLS_RECORD, body(extra).put("fillId", fillId).put("orderId", orderId)
        .put("price", text(price)).put("quantity", text(quantity)));
  }

  /** The fills of an {@code orderId}, or of a {@code symbol} (and {@code account}) within {@code from}/{@code to}. */
  public Pages fills(JsonObject filter) {
    return new Pages(client, Addresses.FILLS_LIST, "fills", body(filter));
  }

  public CompletableFuture<JsonObject> position(String account, String symbol) {
    JsonObject request = new JsonObject().put("symbol", symbol);
    if (account != null) {
      request.put("account", account);
    }
    return client.request(Addresses.POSITIONS_GET, request);
  }

  public CompletableFuture<JsonObject> positions(JsonObject filter) {
    return client.request(Addresses.POSITIONS_LIST, body(filter));
  }

  public CompletableFuture<JsonObject> updateBalance(String asset, BigDecimal available, BigDecimal locked,
                                                     JsonObject extra) {
    return client.request(Addresses.BALANCES_UPDATE, body(extra).put("asset", asset).put("available", text(available))
        .put("locked", text(locked)));
  }

  public CompletableFuture<JsonObject> balances(JsonObject filter) {
    return client.request(Addresses.BALANCES_LIST, body(filter));
  }

  /** Every recorded snapshot of one asset ({@code asOf} within {@code from}/{@code to} of {@code filter}). */
  public Pages balanceHistory(String asset, JsonObject filter) {
    return new Pages(client, Addresses.BALANCES_HISTORY, "updates", body(filter).put("asset", asset));
  }

  /** Per symbol: opening and closing position, realized PnL, fees and fill count of {@code [from, to)}. */
  public CompletableFuture<JsonObject> statement(String account, Instant from, Instant to) {
    JsonObject request = new JsonObject();
    if (account != null) {
      request.put("account", account);
    }
    if (from != null) {
      request.put("from", from.toString());
    }
    if (to != null) {
      request.put("to", to.toString());
    }
    return client.request(Addresses.STATEMENTS_GET, request);
  }

  /**
   * A rule on {@code kind} ({@code bid}, {@code ask}, {@code mid}, {@code unrealizedPnl}, {@code realizedPnl},
   * {@code absQuantity}) meeting {@code threshold} by {@code condition}; {@code extra} may carry {@code account},
   * {@code repeat}, {@code rearmBy}, {@code expiresAt}, {@code note}.
   */
  public CompletableFuture<JsonObject> createAlert(String alertId, String symbol, String kind, String condition,
                                                   BigDecimal threshold, JsonObject extra) {
    return client.request(Addresses.ALERTS_CREATE, body(extra).put("alertId", alertId).put("symbol", symbol)
        .put("kind", kind).put("condition", condition).put("threshold", text(threshold)));
  }

  public CompletableFuture<JsonObject> cancelAlert(String alertId) {
    return client.request(Addresses.ALERTS_CANCEL, new JsonObject().put("alertId", alertId));
  }

  public CompletableFuture<JsonObject> getAlert(String alertId) {
    return client.request(Addresses.ALERTS_GET, new JsonObject().put("alertId", alertId));
  }

  /** Alerts matching {@code filter} ({@code symbol}, {@code account}, {@code status}), newest first. */
  public Pages alerts(JsonObject filter) {
    return new Pages(client, Addresses.ALERTS_LIST, "alerts", body(filter));
  }

  /** Every firing of one alert, oldest first: the value, the one before it, the quote or fill that caused it. */
  public Pages alertFirings(String alertId) {
    return new Pages(client, Addresses.ALERTS_FIRINGS, "firings", new JsonObject().put("alertId", alertId));
  }

  public CompletableFuture<JsonObject> outboxStatus() {
    return client.request(Addresses.OUTBOX_STATUS, new JsonObject());
  }

  private static JsonObject body(JsonObject extra) {
    return extra == null ? new JsonObject() : extra.copy();
  }

  /** Plain notation: the engine's canonical decimal text has no exponent. */
  private static String text(BigDecimal value) {
    return value == null ? null : value.toPlainString();
  }
}
