package io.tradestore.domain.order;

import io.tradestore.domain.Decimals;
import io.tradestore.domain.Side;

import java.math.BigDecimal;
import java.util.Objects;

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

  /** True when a resend of a placement carries the same order as this stored one (the idempotency check). */
  public boolean sameRequestAs(Order resend) {
    return account.equals(resend.account) && symbol.equals(resend.symbol) && side == resend.side && type == resend.type
        && quantity.equals(resend.quantity) && Objects.equals(price, resend.price) && Objects.equals(quoteId, resend.quoteId);
  }

  Order with(OrderStatus newStatus, String newExternalId, String newReason, BigDecimal newFilled, BigDecimal newNotional, long at) {
    return new Order(orderId, newExternalId, account, symbol, side, type, quantity, price, quoteId, newStatus,
        newFilled, newNotional, newReason, createdAt, at);
  }
}
