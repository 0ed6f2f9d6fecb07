package io.tradestore.domain.order;

import io.tradestore.domain.Side;
import io.tradestore.domain.order.Order.OrderType;
import io.tradestore.domain.order.OrderStateMachine.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.tradestore.domain.order.OrderStatus.ACCEPTED;
import static io.tradestore.domain.order.OrderStatus.CANCELLED;
import static io.tradestore.domain.order.OrderStatus.EXPIRED;
import static io.tradestore.domain.order.OrderStatus.FILLED;
import static io.tradestore.domain.order.OrderStatus.NEW;
import static io.tradestore.domain.order.OrderStatus.PARTIALLY_FILLED;
import static io.tradestore.domain.order.OrderStatus.REJECTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The order lifecycle, pure: every (status, reported status) pair, and fills in every status. */
class OrderStateMachineTest {
  private static final String EXT = "EXT-1";

  /** What a venue update does: becomes a status, is a duplicate, or is refused. */
  private record Expect(OrderStatus becomes, boolean duplicate) {
    static Expect to(OrderStatus s) {
      return new Expect(s, false);
    }

    static final Expect DUP = new Expect(null, true);
    static final Expect REFUSED = new Expect(null, false);
  }

  /** The whole transition table. Rows: current status; columns: reported status. Missing = refused. */
  private static final Map<OrderStatus, Map<OrderStatus, Expect>> TABLE = new EnumMap<>(OrderStatus.class);

  static {
    for (OrderStatus s : OrderStatus.values()) {
      TABLE.put(s, new EnumMap<>(OrderStatus.class));
    }
    TABLE.get(NEW).putAll(Map.of(ACCEPTED, Expect.to(ACCEPTED), REJECTED, Expect.to(REJECTED),
        CANCELLED, Expect.to(CANCELLED), EXPIRED, Expect.to(EXPIRED)));
    TABLE.get(ACCEPTED).putAll(Map.of(ACCEPTED, Expect.DUP, CANCELLED, Expect.to(CANCELLED), EXPIRED, Expect.to(EXPIRED)));
    // a late ACCEPTED after fills keeps the fill status and only records the venue's id
    TABLE.get(PARTIALLY_FILLED).putAll(Map.of(ACCEPTED, Expect.to(PARTIALLY_FILLED),
        CANCELLED, Expect.to(CANCELLED), EXPIRED, Expect.to(EXPIRED)));
    TABLE.get(FILLED).putAll(Map.of(ACCEPTED, Expect.to(FILLED)));
    // a venue's ACCEPTED overtaken by a local cancel or an expiry: the id is kept for reconciliation
    TABLE.get(CANCELLED).putAll(Map.of(CANCELLED, Expect.DUP, ACCEPTED, Expect.to(CANCELLED)));
    TABLE.get(REJECTED).put(REJECTED, Expect.DUP);
    TABLE.get(EXPIRED).putAll(Map.of(EXPIRED, Expect.DUP, ACCEPTED, Expect.to(EXPIRED)));
  }

  static Order order(OrderStatus status, String externalId, String quantity, String filled, String notional) {
    return new Order("o-1", externalId, "acct", "BTCUSDT", Side.BUY, OrderType.LIMIT, new BigDecimal(quantity),
        new BigDecimal("100"), null, status, new BigDecimal(filled), new BigDecimal(notional),
        status == REJECTED ? "no funds" : null, 1_000L, 1_000L);
  }

  /** An order in {@code status} as it would realistically be: ACCEPTED has the venue id; fill states have fills. */
  static Order orderIn(OrderStatus status) {
    return switch (status) {
      case ACCEPTED -> order(status, EXT, "2", "0", "0");
      case PARTIALLY_FILLED -> order(status, null, "2", "1", "100");
      case FILLED -> order(status, null, "2", "2", "200");
      default -> order(status, null, "2", "0", "0");
    };
  }

  static Stream<Arguments> everyPair() {
    List<Arguments> pairs = new ArrayList<>();
    for (OrderStatus current : OrderStatus.values()) {
      for (OrderStatus reported : OrderStatus.values()) {
        pairs.add(Arguments.of(current, reported, TABLE.get(current).getOrDefault(reported, Expect.REFUSED)));
      }
    }
    return pairs.stream();
  }

  @ParameterizedTest(name = "{0} + reported {1} -> {2}")
  @MethodSource("everyPair")
  void everyVenueUpdateIsEitherALegalTransitionADuplicateOrRefused(OrderStatus current, OrderStatus reported, Expect expect) {
    Order before = orderIn(current);
    Outcome outcome = OrderStateMachine.venueUpdate(before, reported, reported == ACCEPTED ? EXT : null,
        reported == REJECTED ? "no funds" : null, 2_000L);
    if (expect.duplicate()) {
      Outcome.Duplicate dup = assertInstanceOf(Outcome.Duplicate.class, outcome);
      assertEquals(before, dup.order(), "a duplicate changes nothing");
    } else if (expect.becomes() == null) {
      Outcome.Refused refused = assertInstanceOf(Outcome.Refused.class, outcome);
      assertTrue(refused.message() != null && !refused.message().isBlank());
      assertEquals("status", refused.field());
    } else {
      Order after = assertInstanceOf(Outcome.Changed.class, outcome).order();
      assertEquals(expect.becomes(), after.status());
      assertEquals(before.filledQuantity(), after.filledQuantity(), "a venue update never changes fills");
      assertEquals(2_000L, after.updatedAt());
      assertEquals(1_000L, after.createdAt());
      if (reported == ACCEPTED) {
        assertEquals(EXT, after.externalOrderId());
      }
      if (reported == REJECTED) {
        assertEquals("no funds", after.rejectReason());
      }
    }
  }

  @Test
  void theTableCoversEveryTerminalStatusAsFinal() {
    for (OrderStatus terminal : List.of(CANCELLED, REJECTED, EXPIRED)) {
      for (OrderStatus reported : OrderStatus.values()) {
        Expect e = TABLE.get(terminal).getOrDefault(reported, Expect.REFUSED);
        assertTrue(e.duplicate() || e.becomes() == null || e.becomes() == terminal, terminal + " must not move to " + reported);
      }
    }
  }

  @Test
  void acceptedWithADifferentVenueIdThanTheOneRecordedIsRefusedOnTheExternalOrderIdField() {
    Outcome outcome = OrderStateMachine.venueUpdate(orderIn(ACCEPTED), ACCEPTED, "EXT-2", null, 2_000L);
    assertEquals("externalOrderId", assertInstanceOf(Outcome.Refused.class, outcome).field());
  }

  @Test
  void aPartialFillOnANewOrderMakesItPartiallyFilled() {
    Order after = changed(OrderStateMachine.fill(orderIn(NEW), new BigDecimal("0.5"), new BigDecimal("100"), 2_000L));
    assertEquals(PARTIALLY_FILLED, after.status());
    assertEquals(new BigDecimal("0.5"), after.filledQuantity());
    assertEquals(new BigDecimal("1.5"), after.remainingQuantity());
    assertEquals(new BigDecimal("100"), after.averagePrice());
  }

  @Test
  void aFullFillOnAnAcceptedOrderMakesItFilledAndKeepsTheVenueId() {
    Order after = changed(OrderStateMachine.fill(orderIn(ACCEPTED), new BigDecimal("2"), new BigDecimal("100"), 2_000L));
    assertEquals(FILLED, after.status());
    assertEquals(EXT, after.externalOrderId());
    assertEquals(0, after.remainingQuantity().signum());
  }

  @Test
  void fillsAccumulateQuantityAndAnExactAveragePrice() {
    Order o = changed(OrderStateMachine.fill(order(ACCEPTED, EXT, "3", "0", "0"), new BigDecimal("1"), new BigDecimal("100"), 2L));
    o = changed(OrderStateMachine.fill(o, new BigDecimal("1"), new BigDecimal("101"), 3L));
    assertEquals(PARTIALLY_FILLED, o.status());
    assertEquals(new BigDecimal("100.5"), o.averagePrice());
    o = changed(OrderStateMachine.fill(o, new BigDecimal("1"), new BigDecimal("101"), 4L));
    assertEquals(FILLED, o.status());
    assertEquals(new BigDecimal("100.666666666666666667"), o.averagePrice(), "18 digits, half-even");
  }

  @Test
  void aFillBeforeAcceptedThenTheLateAcceptedKeepsTheFillStatusAndRecordsTheVenueId() {
    Order filled = changed(OrderStateMachine.fill(orderIn(NEW), new BigDecimal("1"), new BigDecimal("100"), 2L));
    assertEquals(PARTIALLY_FILLED, filled.status());
    Order accepted = changed(OrderStateMachine.venueUpdate(filled, ACCEPTED, EXT, null, 3L));
    assertEquals(PARTIALLY_FILLED, accepted.status());
    assertEquals(EXT, accepted.externalOrderId());
    assertEquals(filled.filledQuantity(), accepted.filledQuantity());
    // and the same ACCEPTED again is a duplicate
    assertInstanceOf(Outcome.Duplicate.class, OrderStateMachine.venueUpdate(accepted, ACCEPTED, EXT, null, 4L));

    Order full = changed(OrderStateMachine.fill(orderIn(NEW), new BigDecimal("2"), new BigDecimal("100"), 2L));
    Order fullAccepted = changed(OrderStateMachine.venueUpdate(full, ACCEPTED, EXT, null, 3L));
    assertEquals(FILLED, fullAccepted.status());
    assertEquals(EXT, fullAccepted.externalOrderId());
  }

  @ParameterizedTest
  @EnumSource(value = OrderStatus.class, names = {"CANCELLED", "EXPIRED"})
  void aFillOnAClosedOrderIsRecordedFlaggedLateAndLeavesTheStatus(OrderStatus closed) {
    Order before = order(closed, EXT, "2", "0.5", "50");
    Order after = changed(OrderStateMachine.fill(before, new BigDecimal("1"), new BigDecimal("100"), 2L));
    assertEquals(closed, after.status());
    assertEquals(new BigDecimal("1.5"), after.filledQuantity());
    assertTrue(OrderStateMachine.isLateFill(closed));
  }

  @ParameterizedTest
  @EnumSource(value = OrderStatus.class, names = {"NEW", "ACCEPTED", "PARTIALLY_FILLED", "FILLED", "REJECTED"})
  void aFillOnAnOrderThatIsNotClosedIsNotLate(OrderStatus status) {
    assertFalse(OrderStateMachine.isLateFill(status));
  }

  @Test
  void aFillOnARejectedOrderIsRefused() {
    Outcome outcome = OrderStateMachine.fill(orderIn(REJECTED), new BigDecimal("1"), new BigDecimal("100"), 2L);
    assertEquals("orderId", assertInstanceOf(Outcome.Refused.class, outcome).field());
  }

  @Test
  void aFillBeyondTheOrderQuantityIsRefusedButExactlyTheRemainderFills() {
    Order partial = orderIn(PARTIALLY_FILLED); // 1 of 2
    Outcome over = OrderStateMachine.fill(partial, new BigDecimal("1.00000001"), new BigDecimal("100"), 2L);
    assertEquals("quantity", assertInstanceOf(Outcome.Refused.class, over).field());
    assertEquals(FILLED, changed(OrderStateMachine.fill(partial, new BigDecimal("1.0"), new BigDecimal("100"), 2L)).status());
    Outcome onFilled = OrderStateMachine.fill(orderIn(FILLED), new BigDecimal("0.00000001"), new BigDecimal("100"), 2L);
    assertInstanceOf(Outcome.Refused.class, onFilled);
    Outcome onCancelled = OrderStateMachine.fill(order(CANCELLED, null, "2", "1.5", "150"), new BigDecimal("1"), new BigDecimal("100"), 2L);
    assertInstanceOf(Outcome.Refused.class, onCancelled, "a late fill may not overfill either");
  }

  @Test
  void repeatingTheStatusAnOrderIsInIsADuplicateNotAConflict() {
    for (OrderStatus s : List.of(CANCELLED, EXPIRED, REJECTED)) {
      assertInstanceOf(Outcome.Duplicate.class, OrderStateMachine.venueUpdate(orderIn(s), s, null, "again", 2L));
    }
    Order rejected = orderIn(REJECTED);
    Outcome.Duplicate dup = assertInstanceOf(Outcome.Duplicate.class,
        OrderStateMachine.venueUpdate(rejected, REJECTED, null, "another reason", 2L));
    assertEquals("no funds", dup.order().rejectReason(), "the first reason stays");
  }

  @Test
  void theOrderBeforeAnyFillHasNoAveragePrice() {
    assertNull(orderIn(NEW).averagePrice());
  }

  private static Order changed(Outcome outcome) {
    return assertInstanceOf(Outcome.Changed.class, outcome, outcome.toString()).order();
  }
}
