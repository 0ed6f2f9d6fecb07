package io.tradestore.order;

import io.tradestore.Times;
import io.tradestore.domain.Decimals;
import io.tradestore.domain.order.Order;
import io.vertx.core.json.JsonObject;

/** The order as replies and events show it: decimals as strings, times as ISO-8601 UTC. */
public final class OrderJson {
  private OrderJson() { }

  public static JsonObject of(Order o) {
    return new JsonObject()
        .put("orderId", o.orderId())
        .put("externalOrderId", o.externalOrderId())
        .put("account", o.account())
        .put("symbol", o.symbol())
        .put("side", o.side().name())
        .put("type", o.type().name())
        .put("quantity", Decimals.format(o.quantity()))
        .put("price", Decimals.format(o.price()))
        .put("quoteId", o.quoteId())
        .put("status", o.status().name())
        .put("filledQuantity", Decimals.format(o.filledQuantity()))
        .put("remainingQuantity", Decimals.format(o.remainingQuantity()))
        .put("averagePrice", Decimals.format(o.averagePrice()))
        .put("rejectReason", o.rejectReason())
        .put("createdAt", Times.iso(o.createdAt()))
        .put("updatedAt", Times.iso(o.updatedAt()));
  }
}
