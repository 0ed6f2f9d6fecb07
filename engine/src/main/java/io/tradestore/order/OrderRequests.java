package io.tradestore.order;

import io.tradestore.CommandFailure;
import io.tradestore.bus.Request;
import io.tradestore.domain.Accounts;
import io.tradestore.domain.Side;
import io.tradestore.domain.book.TradingCommand.PlaceOrder;
import io.tradestore.domain.book.TradingCommand.ReportOrder;
import io.tradestore.domain.order.Order.OrderType;
import io.tradestore.domain.order.Order;
import io.tradestore.domain.order.OrderStatus;

import java.math.BigDecimal;
import java.util.Objects;

/** The order commands as requests carry them; a field missing or out of range is a 400 naming it. */
final class OrderRequests {
  private OrderRequests() { }

  /** A new order (NEW) received {@code now}: a LIMIT order has a price, a MARKET order none. */
  static PlaceOrder place(Request r, long now) {
    String orderId = r.text("orderId");
    String account = r.textOr("account", Accounts.DEFAULT);
    String symbol = r.text("symbol");
    Side side = r.enumValue("side", Side.class);
    OrderType type = r.enumValue("type", OrderType.class);
    BigDecimal quantity = r.positiveDecimal("quantity");
    BigDecimal price = null;
    if (type == OrderType.LIMIT) {
      if (!r.has("price")) {
        throw CommandFailure.invalid("price", "price is required for a LIMIT order");
      }
      price = r.positiveDecimal("price");
    } else if (r.has("price")) {
      throw CommandFailure.invalid("price", "a MARKET order has no price");
    }
    String quoteId = r.optionalText("quoteId");
    return new PlaceOrder(new Order(orderId, null, account, symbol, side, type, quantity, price, quoteId,
        OrderStatus.NEW, BigDecimal.ZERO, BigDecimal.ZERO, null, now, now));
  }

  /** A venue's report: ACCEPTED with its order id, REJECTED with a reason, CANCELLED or EXPIRED. */
  static ReportOrder report(Request r) {
    String orderId = r.text("orderId");
    OrderStatus reported = r.enumValue("status", OrderStatus.class);
    String externalOrderId = null;
    String reason = null;
    switch (reported) {
      case ACCEPTED -> externalOrderId = r.text("externalOrderId");
      case REJECTED -> reason = Objects.requireNonNullElse(r.optionalNote("reason"), "");
      case CANCELLED, EXPIRED -> { }
      default -> throw CommandFailure.invalid("status",
          "status must be ACCEPTED, REJECTED, CANCELLED or EXPIRED (fills report PARTIALLY_FILLED and FILLED)");
    }
    if (reported == OrderStatus.REJECTED && reason.isBlank()) {
      throw CommandFailure.invalid("reason", "reason is required with status REJECTED");
    }
    return new ReportOrder(orderId, reported, externalOrderId, reason);
  }

  /** A page of {@code trading.orders.list}: the filters, {@code createdAt} in [from, to), and the page. */
  record OrderQuery(String account, String symbol, OrderStatus status, Long from, Long to, Long cursor, int limit) { }

  static OrderQuery list(Request r) {
    Long from = r.optionalTimestamp("from");
    Long to = r.optionalTimestamp("to");
    if (from != null && to != null && from >= to) {
      throw CommandFailure.invalid("to", "to must be after from");
    }
    return new OrderQuery(r.optionalText("account"), r.optionalText("symbol"),
        r.optionalEnum("status", OrderStatus.class), from, to, r.optionalCursor("cursor"), r.limit("limit", 100, 1000));
  }
}
