package io.tradestore.position;

import io.tradestore.Times;
import io.tradestore.domain.Decimals;
import io.tradestore.domain.position.Position;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;

/** The position as replies and events show it; marked to {@code mark} when a fresh one exists. */
public final class PositionJson {
  private PositionJson() { }

  public static JsonObject of(Position p, BigDecimal mark, String lastFillId, Long updatedAt) {
    return new JsonObject()
        .put("account", p.account())
        .put("symbol", p.symbol())
        .put("quantity", Decimals.format(p.quantity()))
        .put("averagePrice", Decimals.format(p.averagePrice()))
        .put("realizedPnl", Decimals.format(p.realizedPnl()))
        .put("markPrice", Decimals.format(mark))
        .put("unrealizedPnl", Decimals.format(p.unrealizedPnl(mark)))
        .put("fees", PositionStore.feesJson(p.fees()))
        .put("fillCount", p.fillCount())
        .put("lastFillId", lastFillId)
        .put("updatedAt", Times.iso(updatedAt));
  }
}
