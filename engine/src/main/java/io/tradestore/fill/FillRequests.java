package io.tradestore.fill;

import io.tradestore.CommandFailure;
import io.tradestore.bus.Request;
import io.tradestore.domain.book.TradingCommand.RecordFill;
import io.tradestore.domain.fill.Fill.Liquidity;

import java.math.BigDecimal;

/** The fill command as requests carry it; a field missing or out of range is a 400 naming it. */
final class FillRequests {
  private FillRequests() { }

  /** A fill as the venue reported it, received at {@code receivedAt}; a fee comes with its asset. */
  static RecordFill record(Request r, long receivedAt) {
    String fillId = r.text("fillId");
    String orderId = r.text("orderId");
    BigDecimal price = r.positiveDecimal("price");
    BigDecimal quantity = r.positiveDecimal("quantity");
    BigDecimal fee = r.optionalDecimal("fee"); // may be negative: a maker rebate
    String feeAsset = r.optionalText("feeAsset");
    if (fee != null && feeAsset == null) {
      throw CommandFailure.invalid("feeAsset", "feeAsset is required with a fee");
    }
    if (fee == null && feeAsset != null) {
      throw CommandFailure.invalid("fee", "fee is required with a feeAsset");
    }
    Liquidity liquidity = r.optionalEnum("liquidity", Liquidity.class);
    String tradeId = r.optionalText("tradeId");
    Long executedAt = r.optionalTimestamp("executedAt");
    return new RecordFill(fillId, orderId, price, quantity, fee, feeAsset, liquidity, tradeId, executedAt, receivedAt);
  }
}
