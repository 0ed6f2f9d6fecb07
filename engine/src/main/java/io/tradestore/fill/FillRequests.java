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

  /**
   * A page of fills: those of one order ({@code orderId} set), or those of a symbol (optionally of one account)
   * executed in [from, to).
   *
   * @param afterExecutedAt by symbol, with {@code afterId}: the cursor {@code executedAt:id} of the page before
   * @param afterId         by order: the last fill id of the page before, 0 for the first page
   */
  record FillQuery(String orderId, String symbol, String account, long from, long to, long afterExecutedAt,
                   long afterId, int limit) {
    boolean byOrder() {
      return orderId != null;
    }
  }

  /** {@code orderId}, or {@code symbol} (and optionally {@code account}) with an optional range; cursor paging. */
  static FillQuery list(Request r) {
    int limit = r.limit("limit", 100, 1000);
    String orderId = r.optionalText("orderId");
    if (orderId != null) {
      Long cursor = r.optionalCursor("cursor");
      return new FillQuery(orderId, null, null, 0, Long.MAX_VALUE, 0, cursor == null ? 0 : cursor, limit);
    }
    String account = r.has("account") ? r.text("account") : null;
    if (!r.has("symbol")) {
      throw account != null
          ? CommandFailure.invalid("symbol", "an account's fills are listed per symbol: symbol is required with account")
          : CommandFailure.invalid("orderId", "orderId, or symbol with an optional from/to range, is required");
    }
    String symbol = r.text("symbol");
    Long from = r.optionalTimestamp("from");
    Long to = r.optionalTimestamp("to");
    long start = from == null ? 0 : from;
    long end = to == null ? Long.MAX_VALUE : to;
    if (start >= end) {
      throw CommandFailure.invalid("to", "to must be after from");
    }
    Request.TimeCursor cursor = r.optionalTimeCursor("cursor");
    long afterExecutedAt = cursor == null ? start - 1 : cursor.at();
    long afterId = cursor == null ? 0 : cursor.id();
    return new FillQuery(null, symbol, account, start, end, afterExecutedAt, afterId, limit);
  }
}
