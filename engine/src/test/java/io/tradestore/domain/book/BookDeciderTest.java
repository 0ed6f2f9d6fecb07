package io.tradestore.domain.book;

import io.tradestore.domain.Decision;
import io.tradestore.domain.Refusal;
import io.tradestore.domain.Side;
import io.tradestore.domain.alert.Alert;
import io.tradestore.domain.alert.AlertFiring;
import io.tradestore.domain.alert.AlertIndex;
import io.tradestore.domain.book.BookResult.AlertResult;
import io.tradestore.domain.book.BookResult.FillResult;
import io.tradestore.domain.book.BookResult.OrderResult;
import io.tradestore.domain.book.BookResult.QuoteResult;
import io.tradestore.domain.book.TradingCommand.CancelAlert;
import io.tradestore.domain.book.TradingCommand.CreateAlert;
import io.tradestore.domain.book.TradingCommand.ExpireAlerts;
import io.tradestore.domain.book.TradingCommand.PlaceOrder;
import io.tradestore.domain.book.TradingCommand.RecordFill;
import io.tradestore.domain.book.TradingCommand.ReportOrder;
import io.tradestore.domain.book.TradingCommand.SubmitQuote;
import io.tradestore.domain.fill.Fill;
import io.tradestore.domain.order.Order.OrderType;
import io.tradestore.domain.order.Order;
import io.tradestore.domain.order.OrderStatus;
import io.tradestore.domain.position.Position;
import io.tradestore.domain.position.PositionKey;
import io.tradestore.domain.position.StoredPosition;
import io.tradestore.domain.quote.Quote.QuoteStatus;
import io.tradestore.domain.quote.Quote;
import io.tradestore.domain.quote.QuoteLifecycle;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The book's decisions, pure: every rule of quotes, orders and fills against a state held in maps. */
class BookDeciderTest {
  private static final long NOW = 1_800_000_000_000L;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

  /** The committed book the decider reads: plain maps, every position known (flat when absent). */
  private static final class MapState implements BookState {
    final Map<String, Order> orders = new HashMap<>();
    final Map<String, Fill> fills = new HashMap<>();
    final Map<String, Quote> quotes = new HashMap<>();
    final Map<PositionKey, StoredPosition> positions = new HashMap<>();
    final Map<String, String> owners = new HashMap<>();
    final Map<String, Alert> alerts = new HashMap<>();
    final Map<String, BigDecimal> marks = new HashMap<>();

    @Override
    public Order order(String orderId) {
      return orders.get(orderId);
    }

    @Override
    public Fill fill(String fillId) {
      return fills.get(fillId);
    }

    @Override
    public Quote quote(String quoteId) {
      return quotes.get(quoteId);
    }

    @Override
    public StoredPosition position(PositionKey key) {
      return positions.getOrDefault(key, new StoredPosition(Position.flat(key.account(), key.symbol()), null, 0L));
    }

    @Override
    public String ownerOfExternalId(String externalOrderId) {
      return owners.get(externalOrderId);
    }

    @Override
    public Alert alert(String alertId) {
      return alerts.get(alertId);
    }

    @Override
    public BigDecimal mark(String symbol) {
      return marks.get(symbol);
    }
  }

  private final MapState state = new MapState();
  private final AlertIndex alertIndex = new AlertIndex();
  private final BookDecider decider = new BookDecider(state, alertIndex, CLOCK);

  private static BigDecimal d(String s) {
    return new BigDecimal(s);
  }

  private static Quote quote(String id, Long expiresAt) {
    return new Quote(id, "BTCUSDT", d("99"), d("1"), d("101"), d("1"), QuoteLifecycle.spreadBps(d("99"), d("101")),
        null, null, null, QuoteStatus.ACTIVE, expiresAt, null, NOW - 10, NOW - 10);
  }

  private static Order order(String id, String quantity, String quoteId) {
    return new Order(id, null, "desk-1", "BTCUSDT", Side.BUY, OrderType.LIMIT, d(quantity), d("100"), quoteId,
        OrderStatus.NEW, BigDecimal.ZERO, BigDecimal.ZERO, null, NOW - 5, NOW - 5);
  }

  private static RecordFill fill(String fillId, String orderId, String quantity, String price) {
    return new RecordFill(fillId, orderId, d(price), d(quantity), d("0.1"), "USDT", Fill.Liquidity.MAKER, "t-" + fillId,
        NOW - 1, NOW);
  }

  @SuppressWarnings("unchecked")
  private static <T> T changed(Decision<T> decision) {
    return ((Decision.Changed<T>) assertInstanceOf(Decision.Changed.class, decision, decision::toString)).value();
  }

  @SuppressWarnings("unchecked")
  private static <T> T duplicate(Decision<T> decision) {
    return ((Decision.Duplicate<T>) assertInstanceOf(Decision.Duplicate.class, decision, decision::toString)).value();
  }

  private static Refusal refused(Decision<?> decision) {
    return assertInstanceOf(Decision.Refused.class, decision, decision::toString).refusal();
  }

  private List<String> eventKinds() {
    return decider.changes().events().stream().map(e -> e.getClass().getSimpleName()).toList();
  }

  @Test
  void aNewQuoteIsAddedWithItsEvent() {
    Quote q = quote("q-1", null);
    QuoteResult result = changed(decider.submitQuote(new SubmitQuote(q)));
    assertSame(q, result.quote());
    assertFalse(result.duplicate());
    assertEquals(List.of(q), decider.changes().newQuotes());
    assertEquals(List.of("QuoteSubmitted"), eventKinds());
  }

  @Test
  void aQuoteResentWithTheSameContentIsADuplicateAndWithOtherContentAConflict() {
    state.quotes.put("q-1", quote("q-1", null));
    assertTrue(this.<QuoteResult>duplicate(decider.submitQuote(new SubmitQuote(quote("q-1", null)))).duplicate());
    Refusal other = refused(decider.submitQuote(new SubmitQuote(quote("q-1", NOW + 1_000))));
    assertEquals(Refusal.Kind.CONFLICT, other.kind());
    assertEquals("quoteId", other.field());
    assertTrue(decider.changes().events().isEmpty(), "nothing changed");
  }

  @Test
  void aQuoteThatExpiresWhenItIsCreatedIsInvalid() {
    Quote q = quote("q-1", NOW - 10);
    Refusal refusal = refused(decider.submitQuote(new SubmitQuote(q)));
    assertEquals(Refusal.Kind.INVALID, refusal.kind());
    assertEquals("expiresAt", refusal.field());
  }

  @Test
  void aNewOrderIsPlacedAndAResendIsADuplicateButOtherContentUnderItsIdAConflict() {
    Order o = order("o-1", "2", null);
    assertSame(o, this.<OrderResult>changed(decider.placeOrder(new PlaceOrder(o))).order());
    assertTrue(this.<OrderResult>duplicate(decider.placeOrder(new PlaceOrder(order("o-1", "2.0", null)))).duplicate(),
        "the same order, seen by a later command of the same run");
    assertEquals("orderId", refused(decider.placeOrder(new PlaceOrder(order("o-1", "3", null)))).field());
    assertEquals(List.of("OrderPlaced"), eventKinds());
  }

  @Test
  void anOrderOnAQuoteUsesItUpInTheSameDecisionAndASecondOrderFindsItUsed() {
    state.quotes.put("q-1", quote("q-1", null));
    changed(decider.placeOrder(new PlaceOrder(order("o-1", "1", "q-1"))));
    Quote used = decider.changes().changedQuotes().iterator().next();
    assertEquals(QuoteStatus.USED, used.status());
    assertEquals("o-1", used.usedByOrderId());
    assertEquals(List.of("OrderPlaced", "QuoteUsed"), eventKinds());
    Refusal second = refused(decider.placeOrder(new PlaceOrder(order("o-2", "1", "q-1"))));
    assertEquals(Refusal.Kind.CONFLICT, second.kind());
    assertTrue(second.message().contains("USED by order o-1"), second.message());
  }

  @Test
  void anOrderOnAnUnknownQuoteIsNotFoundAndOnAnExpiredOneAConflict() {
    assertEquals(Refusal.Kind.NOT_FOUND, refused(decider.placeOrder(new PlaceOrder(order("o-1", "1", "q-9")))).kind());
    state.quotes.put("q-old", quote("q-old", NOW));
    Refusal expired = refused(decider.placeOrder(new PlaceOrder(order("o-2", "1", "q-old"))));
    assertTrue(expired.message().contains("EXPIRED"), expired.message());
    assertTrue(decider.changes().newOrders().isEmpty());
  }

  @Test
  void aVenueReportMovesTheOrderAndRecordsWhoseVenueIdItIs() {
    state.orders.put("o-1", order("o-1", "1", null));
    OrderResult accepted = changed(decider.reportOrder(new ReportOrder("o-1", OrderStatus.ACCEPTED, "V-1", null)));
    assertEquals(OrderStatus.ACCEPTED, accepted.order().status());
    assertEquals("V-1", accepted.order().externalOrderId());
    BookEvent.OrderUpdated event = (BookEvent.OrderUpdated) decider.changes().events().get(0);
    assertEquals(OrderStatus.NEW, event.previousStatus());

    state.orders.put("o-2", order("o-2", "1", null));
    Refusal taken = refused(decider.reportOrder(new ReportOrder("o-2", OrderStatus.ACCEPTED, "V-1", null)));
    assertEquals("externalOrderId", taken.field());
    assertTrue(taken.message().contains("order o-1"), "the owner was decided earlier in the same run");
  }

  @Test
  void aReportOfAnUnknownOrderIsNotFoundAndAnIllegalOneAConflict() {
    assertEquals(Refusal.Kind.NOT_FOUND, refused(decider.reportOrder(new ReportOrder("o-9", OrderStatus.CANCELLED, null, null))).kind());
    state.orders.put("o-1", order("o-1", "1", null));
    changed(decider.reportOrder(new ReportOrder("o-1", OrderStatus.CANCELLED, null, null)));
    assertTrue(this.<OrderResult>duplicate(decider.reportOrder(new ReportOrder("o-1", OrderStatus.CANCELLED, null, null))).duplicate());
    Refusal reject = refused(decider.reportOrder(new ReportOrder("o-1", OrderStatus.REJECTED, null, "late")));
    assertEquals(Refusal.Kind.CONFLICT, reject.kind());
    assertEquals("status", reject.field());
  }

  @Test
  void aFillMovesItsOrderAndPositionExactlyAndTellsAllThree() {
    state.orders.put("o-1", order("o-1", "3", null));
    FillResult first = changed(decider.recordFill(fill("f-1", "o-1", "1", "100.1")));
    FillResult second = changed(decider.recordFill(fill("f-2", "o-1", "2", "100.2")));
    assertEquals(OrderStatus.PARTIALLY_FILLED, first.order().status());
    assertEquals(OrderStatus.FILLED, second.order().status());
    assertEquals(d("300.5"), second.order().filledNotional());
    Position position = second.position().position();
    assertEquals(d("3"), position.quantity());
    assertEquals(d("300.5"), position.costBasis());
    assertEquals(Map.of("USDT", d("0.2")), position.fees());
    assertEquals("f-2", second.position().lastFillId());
    assertEquals(List.of("FillRecorded", "OrderUpdated", "PositionChanged", "FillRecorded", "OrderUpdated", "PositionChanged"),
        eventKinds());
    assertEquals(1, decider.changes().changedOrders().size(), "the order is written once, as it ended");
    assertEquals(1, decider.changes().positions().size());
  }

  @Test
  void aFillOnACancelledOrderIsRecordedLateAndTheOrderStaysCancelled() {
    state.orders.put("o-1", new Order("o-1", null, "desk-1", "BTCUSDT", Side.BUY, OrderType.LIMIT, d("3"), d("100"), null,
        OrderStatus.CANCELLED, BigDecimal.ZERO, BigDecimal.ZERO, null, NOW - 5, NOW - 5));
    FillResult late = changed(decider.recordFill(fill("f-1", "o-1", "1", "100")));
    assertTrue(late.fill().late());
    assertEquals(OrderStatus.CANCELLED, late.order().status());
  }

  @Test
  void aFillThatWouldOverfillOrIsOnAnUnknownOrderIsRefusedWithNothingChanged() {
    state.orders.put("o-1", order("o-1", "1", null));
    Refusal over = refused(decider.recordFill(fill("f-1", "o-1", "1.5", "100")));
    assertEquals("quantity", over.field());
    assertEquals(Refusal.Kind.NOT_FOUND, refused(decider.recordFill(fill("f-2", "o-9", "1", "100"))).kind());
    assertTrue(decider.changes().newFills().isEmpty());
    assertTrue(decider.changes().positions().isEmpty());
  }

  @Test
  void aResentFillIsADuplicateWithTheOrderAndPositionAsTheyAreAndAChangedOneAConflict() {
    state.orders.put("o-1", order("o-1", "3", null));
    changed(decider.recordFill(fill("f-1", "o-1", "1", "100")));
    changed(decider.recordFill(fill("f-2", "o-1", "1", "101")));
    FillResult resent = duplicate(decider.recordFill(fill("f-1", "o-1", "1", "100")));
    assertTrue(resent.duplicate());
    assertEquals(d("2"), resent.order().filledQuantity(), "today's order, not the one the fill first saw");
    assertEquals("f-2", resent.position().lastFillId());
    RecordFill withoutTime = new RecordFill("f-1", "o-1", d("100"), d("1"), d("0.1"), "USDT", Fill.Liquidity.MAKER,
        "t-f-1", null, NOW + 5);
    duplicate(decider.recordFill(withoutTime));
    assertEquals("fillId", refused(decider.recordFill(fill("f-1", "o-1", "1", "100.5"))).field());
    assertEquals(2, decider.changes().newFills().size());
  }

  private static Alert alert(String id, Alert.Kind kind, Alert.Condition condition, String threshold) {
    return Alert.create(id, "desk-1", "BTCUSDT", kind, condition, d(threshold), Alert.Repeat.ONCE, null, null, null,
        NOW - 20);
  }

  @Test
  void aNewAlertIsCreatedAndAResendIsADuplicateButOtherContentUnderItsIdAConflict() {
    Alert a = alert("a-1", Alert.Kind.MID, Alert.Condition.ABOVE, "100");
    AlertResult created = changed(decider.createAlert(new CreateAlert(a)));
    assertFalse(created.duplicate());
    assertSame(a, alertIndex.get("a-1"), "indexed for the quotes after it, in this run too");
    assertTrue(this.<AlertResult>duplicate(decider.createAlert(new CreateAlert(alert("a-1", Alert.Kind.MID,
        Alert.Condition.ABOVE, "100.0")))).duplicate());
    Refusal other = refused(decider.createAlert(new CreateAlert(alert("a-1", Alert.Kind.MID, Alert.Condition.BELOW,
        "100"))));
    assertEquals(Refusal.Kind.CONFLICT, other.kind());
    assertEquals("alertId", other.field());
    assertEquals(List.of("AlertCreated"), eventKinds());
    assertEquals(1, decider.changes().newAlerts().size());
  }

  @Test
  void aFinishedAlertsIdStaysTakenAndItsCancelIsRefused() {
    Alert fired = Alert.create("a-1", "desk-1", "BTCUSDT", Alert.Kind.MID, Alert.Condition.ABOVE, d("100"),
        Alert.Repeat.ONCE, null, null, null, NOW - 20);
    state.alerts.put("a-1", new Alert("a-1", "desk-1", "BTCUSDT", Alert.Kind.MID, Alert.Condition.ABOVE, d("100"),
        Alert.Repeat.ONCE, null, null, null, Alert.Status.TRIGGERED, false, 1, NOW - 15, NOW - 20, NOW - 15));
    assertTrue(this.<AlertResult>duplicate(decider.createAlert(new CreateAlert(fired))).duplicate(),
        "a resend after it fired: the alert as it is now");
    Refusal cancel = refused(decider.cancelAlert(new CancelAlert("a-1")));
    assertEquals(Refusal.Kind.CONFLICT, cancel.kind());
    assertEquals(Refusal.Kind.NOT_FOUND, refused(decider.cancelAlert(new CancelAlert("a-9"))).kind());
    Alert expired = Alert.create("a-2", "desk-1", "BTCUSDT", Alert.Kind.MID, Alert.Condition.ABOVE, d("100"),
        Alert.Repeat.ONCE, null, NOW - 20, null, NOW - 20);
    assertEquals("expiresAt", refused(decider.createAlert(new CreateAlert(expired))).field());
  }

  @Test
  void aCancelEndsAnActiveAlertAndTakesItOutOfTheIndexAndASecondCancelIsADuplicate() {
    changed(decider.createAlert(new CreateAlert(alert("a-1", Alert.Kind.BID, Alert.Condition.BELOW, "90"))));
    AlertResult cancelled = changed(decider.cancelAlert(new CancelAlert("a-1")));
    assertEquals(Alert.Status.CANCELLED, cancelled.alert().status());
    assertEquals(null, alertIndex.get("a-1"));
    assertTrue(this.<AlertResult>duplicate(decider.cancelAlert(new CancelAlert("a-1"))).duplicate());
    assertEquals(List.of(Alert.Status.CANCELLED), decider.changes().newAlerts().stream().map(Alert::status).toList(),
        "created and cancelled in one run: inserted once, as it ended");
    assertEquals(List.of("AlertCreated", "AlertCancelled"), eventKinds());
  }

  @Test
  void aQuoteFiresTheAlertsItMeetsInItsOwnDecisionAndAResendFiresNothing() {
    alertIndex.put(alert("a-1", Alert.Kind.ASK, Alert.Condition.ABOVE, "101"));
    alertIndex.put(alert("a-2", Alert.Kind.BID, Alert.Condition.BELOW, "98"));
    Quote q = quote("q-1", null);
    changed(decider.submitQuote(new SubmitQuote(q)));
    assertEquals(List.of("QuoteSubmitted", "AlertTriggered"), eventKinds());
    AlertFiring firing = decider.changes().firings().get(0);
    assertEquals("a-1", firing.alert().alertId());
    assertEquals("q-1", firing.causeId());
    assertEquals(d("101"), firing.value());
    assertEquals(Alert.Status.TRIGGERED, decider.changes().changedAlerts().iterator().next().status());
    duplicate(decider.submitQuote(new SubmitQuote(q)));
    assertEquals(1, decider.changes().firings().size(), "a resent quote fires nothing new");
  }

  @Test
  void aFillFiresItsPositionsAlertsAtTheMarkAndAQuoteEarlierInTheRunIsTheMark() {
    state.orders.put("o-1", order("o-1", "3", null));
    alertIndex.put(alert("size", Alert.Kind.ABS_QUANTITY, Alert.Condition.ABOVE, "2"));
    alertIndex.put(alert("loss", Alert.Kind.UNREALIZED_PNL, Alert.Condition.BELOW, "-2"));
    state.marks.put("BTCUSDT", d("99.5"));
    changed(decider.recordFill(fill("f-1", "o-1", "2", "100")));
    assertEquals(List.of("size"), decider.changes().firings().stream().map(f -> f.alert().alertId()).toList(),
        "|2| reaches 2; unrealized 2 x (99.5 - 100) = -1 is above -2");
    Quote lower = new Quote("q-9", "BTCUSDT", d("98"), d("1"), d("98"), d("1"), d("0"), null, null, null,
        QuoteStatus.ACTIVE, null, null, NOW, NOW);
    changed(decider.submitQuote(new SubmitQuote(lower)));
    assertEquals(List.of("size", "loss"), decider.changes().firings().stream().map(f -> f.alert().alertId()).toList(),
        "the quote marks the position at 98: 2 x (98 - 100) = -4");
    AlertFiring loss = decider.changes().firings().get(1);
    assertEquals(d("-4"), loss.value());
    assertEquals(AlertFiring.Cause.QUOTE, loss.cause());
  }

  @Test
  void theExpiryRunMarksTheDueAlertsExpiredAndTellsWhenTheNextIsDue() {
    for (long at : new long[] {NOW - 1, NOW, NOW + 60_000}) {
      alertIndex.put(Alert.create("a" + at, "desk-1", "BTCUSDT", Alert.Kind.MID, Alert.Condition.ABOVE, d("1"),
          Alert.Repeat.ONCE, null, at, null, NOW - 100));
    }
    BookResult.AlertsExpired run = changed(decider.expireAlerts(new ExpireAlerts(10)));
    assertEquals(List.of("a" + (NOW - 1), "a" + NOW), run.expired().stream().map(Alert::alertId).toList());
    assertEquals(NOW + 60_000, run.nextExpiry());
    assertEquals(List.of("AlertExpired", "AlertExpired"), eventKinds());
    assertEquals(1, alertIndex.size());
    assertTrue(decider.changes().changedAlerts().stream().allMatch(a -> a.status() == Alert.Status.EXPIRED));
  }

  @Test
  void everyKindOfCommandIsDecidedThroughDecide() {
    state.quotes.put("q-1", quote("q-1", null));
    state.orders.put("o-0", order("o-0", "1", null));
    List<TradingCommand<?>> commands = List.of(new SubmitQuote(quote("q-2", null)), new PlaceOrder(order("o-1", "1", "q-1")),
        new ReportOrder("o-0", OrderStatus.ACCEPTED, "V-0", null), fill("f-1", "o-1", "1", "100"),
        new CreateAlert(alert("a-1", Alert.Kind.MID, Alert.Condition.ABOVE, "1")), new CancelAlert("a-1"),
        new ExpireAlerts(10));
    for (TradingCommand<?> c : commands) {
      assertInstanceOf(Decision.Changed.class, decider.decide(c), c.toString());
    }
  }
}
