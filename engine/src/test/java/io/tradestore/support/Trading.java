package io.tradestore.support;

import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicLong;

/** Request bodies for the trading addresses, and unique ids so tests can share one engine. */
public final class Trading {
  private static final AtomicLong SEQ = new AtomicLong();
  private static final String RUN = Long.toString(System.nanoTime() % 1_000_000, 36);

  private Trading() { }

  /** A fresh id, unique in this JVM: {@code prefix-run-n}. */
  public static String id(String prefix) {
    return prefix + "-" + RUN + "-" + SEQ.incrementAndGet();
  }

  public static JsonObject limit(String orderId, String account, String symbol, String side, Object quantity, Object price) {
    return new JsonObject().put("orderId", orderId).put("account", account).put("symbol", symbol).put("side", side)
        .put("type", "LIMIT").put("quantity", quantity).put("price", price);
  }

  public static JsonObject market(String orderId, String account, String symbol, String side, Object quantity) {
    return new JsonObject().put("orderId", orderId).put("account", account).put("symbol", symbol).put("side", side)
        .put("type", "MARKET").put("quantity", quantity);
  }

  public static JsonObject fill(String fillId, String orderId, Object quantity, Object price) {
    return new JsonObject().put("fillId", fillId).put("orderId", orderId).put("quantity", quantity).put("price", price);
  }

  public static JsonObject quote(String quoteId, String symbol, Object bid, Object ask) {
    return new JsonObject().put("quoteId", quoteId).put("symbol", symbol)
        .put("bidPrice", bid).put("bidQuantity", "1").put("askPrice", ask).put("askQuantity", "1");
  }
}
