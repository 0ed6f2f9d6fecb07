package io.tradestore.domain.fill;

import io.tradestore.domain.Side;

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
}
