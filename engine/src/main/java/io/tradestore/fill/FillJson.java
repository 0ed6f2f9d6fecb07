package io.tradestore.fill;

import io.tradestore.Times;
import io.tradestore.domain.Decimals;
import io.tradestore.domain.fill.Fill;
import io.vertx.core.json.JsonObject;

/** The fill as replies and events show it: decimals as strings, times as ISO-8601 UTC. */
public final class FillJson {
  private FillJson() { }

  public static JsonObject of(Fill f) {
    return new JsonObject()
        .put("fillId", f.fillId())
        .put("orderId", f.orderId())
        .put("account", f.account())
        .put("symbol", f.symbol())
        .put("side", f.side().name())
        .put("price", Decimals.format(f.price()))
        .put("quantity", Decimals.format(f.quantity()))
        .put("fee", Decimals.format(f.fee()))
        .put("feeAsset", f.feeAsset())
        .put("liquidity", f.liquidity() == null ? null : f.liquidity().name())
        .put("tradeId", f.tradeId())
        .put("late", f.late())
        .put("executedAt", Times.iso(f.executedAt()))
        .put("recordedAt", Times.iso(f.recordedAt()));
  }
}
