package io.tradestore.fill;

import io.tradestore.Decimals;
import io.tradestore.Times;
import io.tradestore.position.PositionLedger.Side;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.Objects;

/** An execution reported by the venue: a fact, recorded once per {@code fillId}. */
public record Fill(
    String fillId,
    String orderId,
    String account,
    String symbol,
    Side side,
    BigDecimal price,
    BigDecimal quantity,
    BigDecimal fee,
    String feeAsset,
    Liquidity liquidity,
    String tradeId,
    boolean late,
    long executedAt,
    long recordedAt) {

  public enum Liquidity { MAKER, TAKER }

  /**
   * True when a resend describes the same execution. {@code executedAtGiven} is false when the resend left
   * {@code executedAt} out (it then defaulted to the time of receipt, which differs on every resend).
   */
  public boolean sameExecutionAs(Fill resend, boolean executedAtGiven) {
    return orderId.equals(resend.orderId) && price.equals(resend.price) && quantity.equals(resend.quantity)
        && Objects.equals(fee, resend.fee) && Objects.equals(feeAsset, resend.feeAsset)
        && liquidity == resend.liquidity && Objects.equals(tradeId, resend.tradeId)
        && (!executedAtGiven || executedAt == resend.executedAt);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("fillId", fillId)
        .put("orderId", orderId)
        .put("account", account)
        .put("symbol", symbol)
        .put("side", side.name())
        .put("price", Decimals.format(price))
        .put("quantity", Decimals.format(quantity))
        .put("fee", Decimals.format(fee))
        .put("feeAsset", feeAsset)
        .put("liquidity", liquidity == null ? null : liquidity.name())
        .put("tradeId", tradeId)
        .put("late", late)
        .put("executedAt", Times.iso(executedAt))
        .put("recordedAt", Times.iso(recordedAt));
  }
}
