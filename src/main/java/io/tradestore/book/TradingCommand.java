package io.tradestore.book;

import io.tradestore.domain.fill.Fill;
import io.tradestore.domain.order.Order;
import io.tradestore.domain.order.OrderStatus;
import io.tradestore.domain.quote.Quote;

import java.math.BigDecimal;

/** The commands that change quotes, orders, fills and positions; all are decided by the {@link TradingBook}. */
public sealed interface TradingCommand {

  /** The order the command is about, or null (a quote). */
  String orderId();

  /** A new quote (status ACTIVE). */
  record SubmitQuote(Quote quote) implements TradingCommand {
    @Override
    public String orderId() {
      return null;
    }
  }

  /** A new order (status NEW), optionally using a quote. */
  record PlaceOrder(Order order) implements TradingCommand {
    @Override
    public String orderId() {
      return order.orderId();
    }
  }

  /** Venue feedback or a local cancel: ACCEPTED (with the venue's id), REJECTED (with a reason), CANCELLED, EXPIRED. */
  record ReportOrder(String orderId, OrderStatus status, String externalOrderId, String reason) implements TradingCommand { }

  /**
   * A fill as requested: account, symbol and side come from its order. {@code executedAt} is null when the request
   * left it out (it then becomes the time of receipt, {@code receivedAt}).
   */
  record RecordFill(String fillId, String orderId, BigDecimal price, BigDecimal quantity, BigDecimal fee,
                    String feeAsset, Fill.Liquidity liquidity, String tradeId, Long executedAt, long receivedAt)
      implements TradingCommand { }
}
