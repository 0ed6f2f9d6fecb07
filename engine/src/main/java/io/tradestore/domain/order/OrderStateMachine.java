package io.tradestore.domain.order;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static io.tradestore.domain.order.OrderStateMachine.Effect.BECOME;
import static io.tradestore.domain.order.OrderStateMachine.Effect.DUPLICATE;
import static io.tradestore.domain.order.OrderStateMachine.Effect.RECORD_VENUE_ID;
import static io.tradestore.domain.order.OrderStateMachine.Effect.REFUSE;
import static io.tradestore.domain.order.OrderStatus.ACCEPTED;
import static io.tradestore.domain.order.OrderStatus.CANCELLED;
import static io.tradestore.domain.order.OrderStatus.EXPIRED;
import static io.tradestore.domain.order.OrderStatus.FILLED;
import static io.tradestore.domain.order.OrderStatus.NEW;
import static io.tradestore.domain.order.OrderStatus.PARTIALLY_FILLED;
import static io.tradestore.domain.order.OrderStatus.REJECTED;

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

  /** What a venue report does to an order in a given status. */
  enum Effect {
    /** the order takes the reported status */
    BECOME,
    /** the status stays (the venue's acknowledgement was overtaken by its fills, a cancel or an expiry): only
     *  the venue's order id is recorded, which reconciliation needs */
    RECORD_VENUE_ID,
    /** the order is already so: a resend */
    DUPLICATE,
    /** the report contradicts the order's lifecycle */
    REFUSE
  }

  /** The reports a venue may send, in the order of the table's columns. */
  private static final List<OrderStatus> REPORTS = List.of(ACCEPTED, REJECTED, CANCELLED, EXPIRED);

  /** (status, report) → effect: one row per status, one column per report. */
  private static final Map<OrderStatus, List<Effect>> TRANSITIONS = new EnumMap<>(Map.of(
      //                          ACCEPTED         REJECTED   CANCELLED  EXPIRED
      NEW,              List.of(BECOME,          BECOME,    BECOME,    BECOME),
      ACCEPTED,         List.of(REFUSE,          REFUSE,    BECOME,    BECOME),
      PARTIALLY_FILLED, List.of(RECORD_VENUE_ID, REFUSE,    BECOME,    BECOME),
      FILLED,           List.of(RECORD_VENUE_ID, REFUSE,    REFUSE,    REFUSE),
      CANCELLED,        List.of(RECORD_VENUE_ID, REFUSE,    DUPLICATE, REFUSE),
      EXPIRED,          List.of(RECORD_VENUE_ID, REFUSE,    REFUSE,    DUPLICATE),
      REJECTED,         List.of(REFUSE,          DUPLICATE, REFUSE,    REFUSE)));

  /** Venue feedback: ACCEPTED (with the venue's order id), REJECTED (with a reason), CANCELLED, EXPIRED. */
  public static Outcome venueUpdate(Order order, OrderStatus reported, String externalOrderId, String reason, long at) {
    int column = REPORTS.indexOf(reported);
    if (column < 0) {
      return new Outcome.Refused("status " + reported + " cannot be reported by a venue; expected ACCEPTED, REJECTED, CANCELLED or EXPIRED", "status");
    }
    if (reported == ACCEPTED && order.externalOrderId() != null) {
      // the venue's id is set once: the same acknowledgement again is a resend, another id a contradiction
      return order.externalOrderId().equals(externalOrderId) && order.status() != NEW
          ? new Outcome.Duplicate(order)
          : refuse(order, reported, "externalOrderId", "the order already has externalOrderId " + order.externalOrderId());
    }
    OrderStatus current = order.status();
    return switch (TRANSITIONS.get(current).get(column)) {
      case BECOME -> changed(order.with(reported, reported == ACCEPTED ? externalOrderId : order.externalOrderId(),
          reported == REJECTED ? reason : order.rejectReason(), order.filledQuantity(), order.filledNotional(), at));
      case RECORD_VENUE_ID -> changed(order.with(current, externalOrderId, order.rejectReason(), order.filledQuantity(),
          order.filledNotional(), at));
      case DUPLICATE -> new Outcome.Duplicate(order);
      case REFUSE -> refuse(order, reported, "status", null);
    };
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
