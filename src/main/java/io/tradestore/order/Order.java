package io.tradestore.order;

import io.tradestore.Decimals;
import io.tradestore.position.PositionLedger.Side;

import java.math.BigDecimal;

/**
 * An order and its fill progress. {@code filledNotional} is the exact sum of quantity x price over its fills;
 * {@code averagePrice} is derived from it, so it never drifts.
 */
public record Order(
    String orderId,
    String externalOrderId,
    String account,
    String symbol,
    Side side,
    OrderType type,
    BigDecimal quantity,
    BigDecimal price,
    String quoteId,
    OrderStatus status,
    BigDecimal filledQuantity,
    BigDecimal filledNotional,
    String rejectReason,
    long createdAt,
    long updatedAt) {

  public enum OrderType { LIMIT, MARKET }

  public Order {
    quantity = Decimals.canonical(quantity);
    price = price == null ? null : Decimals.canonical(price);
    filledQuantity = Decimals.canonical(filledQuantity);
    filledNotional = Decimals.canonical(filledNotional);
  }

  public BigDecimal remainingQuantity() {
    return quantity.subtract(filledQuantity);
  }

  /** Average fill price, absent before the first fill. */
  public BigDecimal averagePrice() {
    return filledQuantity.signum() == 0 ? null : Decimals.divide(filledNotional, filledQuantity);
  }

  Order with(OrderStatus newStatus, String newExternalId, String newReason, BigDecimal newFilled, BigDecimal newNotional, long at) {
    return new Order(orderId, newExternalId, account, symbol, side, type, quantity, price, quoteId, newStatus,
        newFilled, newNotional, newReason, createdAt, at);
  }
}
