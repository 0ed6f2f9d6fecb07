package io.tradestore.domain.order;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The order lifecycle (no Vert.x, no SQL: tested directly).
 *
 * <pre>
 *   NEW ──► ACCEPTED ──► PARTIALLY_FILLED ──► FILLED
 *    │         │                │
 *    ├─────────┴────────────────┴──► CANCELLED | EXPIRED
 *    └──► REJECTED
 * </pre>
 * Venues are not orderly, so: a fill may arrive before ACCEPTED (NEW goes straight to PARTIALLY_FILLED or
 * FILLED), and a late ACCEPTED after fills, a cancel or an expiry only records the venue's id. A fill is a fact: on a CANCELLED or
 * EXPIRED order it is still recorded (flagged late) and the status stays; a fill beyond the order quantity, or on
 * a REJECTED order, is a conflict. Re-sending the update an order is already in is a duplicate, not an error.
 */
public final class OrderStateMachine {
  private OrderStateMachine() { }

  /** The outcome of applying an event: the order after it, or why it is refused, or that nothing changes. */
  public sealed interface Outcome {
    record Changed(Order order) implements Outcome { }

    record Duplicate(Order order) implements Outcome { }

    record Refused(String message, String field) implements Outcome { }
  }

  /** Venue feedback: ACCEPTED (with the venue's order id), REJECTED (with a reason), CANCELLED, EXPIRED. */
  public static Outcome venueUpdate(Order order, OrderStatus reported, String externalOrderId, String reason, long at) {
    OrderStatus current = order.status();
    switch (reported) {
      case ACCEPTED -> {
        if (order.externalOrderId() != null) {
          return Objects.equals(order.externalOrderId(), externalOrderId) && current != OrderStatus.NEW
              ? new Outcome.Duplicate(order)
              : refuse(order, reported, "externalOrderId", "the order already has externalOrderId " + order.externalOrderId());
        }
        return switch (current) {
          case NEW -> changed(order.with(OrderStatus.ACCEPTED, externalOrderId, null, order.filledQuantity(), order.filledNotional(), at));
          // the venue's acknowledgement overtaken by its own fills, a local cancel or an expiry: keep the
          // status, record the venue's id (reconciliation needs it)
          case PARTIALLY_FILLED, FILLED, CANCELLED, EXPIRED -> changed(order.with(current, externalOrderId, null, order.filledQuantity(), order.filledNotional(), at));
          default -> refuse(order, reported, "status", null);
        };
      }
      case REJECTED -> {
        if (current == OrderStatus.REJECTED) {
          return new Outcome.Duplicate(order);
        }
        return current == OrderStatus.NEW
            ? changed(order.with(OrderStatus.REJECTED, order.externalOrderId(), reason, order.filledQuantity(), order.filledNotional(), at))
            : refuse(order, reported, "status", null);
      }
      case CANCELLED, EXPIRED -> {
        if (current == reported) {
          return new Outcome.Duplicate(order);
        }
        return current.isOpen()
            ? changed(order.with(reported, order.externalOrderId(), order.rejectReason(), order.filledQuantity(), order.filledNotional(), at))
            : refuse(order, reported, "status", null);
      }
      default -> {
        return new Outcome.Refused("status " + reported + " cannot be reported by a venue; expected ACCEPTED, REJECTED, CANCELLED or EXPIRED", "status");
      }
    }
  }

  /** A fill of {@code quantity} at {@code price}. */
  public static Outcome fill(Order order, BigDecimal quantity, BigDecimal price, long at) {
    if (order.status() == OrderStatus.REJECTED) {
      return new Outcome.Refused("order " + order.orderId() + " was REJECTED; a fill on it contradicts the venue", "orderId");
    }
    BigDecimal filled = order.filledQuantity().add(quantity);
    if (filled.compareTo(order.quantity()) > 0) {
      return new Outcome.Refused("fill of " + quantity.toPlainString() + " would overfill order " + order.orderId()
          + " (quantity " + order.quantity().toPlainString() + ", already filled " + order.filledQuantity().toPlainString() + ")", "quantity");
    }
    BigDecimal notional = order.filledNotional().add(quantity.multiply(price));
    OrderStatus next = switch (order.status()) {
      case CANCELLED, EXPIRED -> order.status();
      default -> filled.compareTo(order.quantity()) == 0 ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED;
    };
    return changed(order.with(next, order.externalOrderId(), order.rejectReason(), filled, notional, at));
  }

  /** True when a fill on an order in this status is recorded but flagged: the order was already closed. */
  public static boolean isLateFill(OrderStatus status) {
    return status == OrderStatus.CANCELLED || status == OrderStatus.EXPIRED;
  }

  private static Outcome changed(Order order) {
    return new Outcome.Changed(order);
  }

  private static Outcome refuse(Order order, OrderStatus reported, String field, String detail) {
    String message = detail != null ? detail
        : "order " + order.orderId() + " is " + order.status() + "; it cannot become " + reported;
    return new Outcome.Refused(message, field);
  }
}
