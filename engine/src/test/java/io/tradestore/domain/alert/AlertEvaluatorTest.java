package io.tradestore.domain.alert;

import io.tradestore.domain.alert.Alert.Kind;
import io.tradestore.domain.alert.Alert.Status;
import io.tradestore.domain.alert.AlertEvaluator.Evaluation;
import io.tradestore.domain.position.Position;
import io.tradestore.domain.position.PositionKey;
import io.tradestore.domain.position.PositionLedger;
import io.tradestore.domain.quote.Quote;
import io.tradestore.domain.Side;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.tradestore.domain.alert.Alert.Condition.ABOVE;
import static io.tradestore.domain.alert.Alert.Condition.BELOW;
import static io.tradestore.domain.alert.Alert.Condition.CROSSES_ABOVE;
import static io.tradestore.domain.alert.Alert.Condition.CROSSES_BELOW;
import static io.tradestore.domain.alert.Alerts.T0;
import static io.tradestore.domain.alert.Alerts.d;
import static io.tradestore.domain.alert.Alerts.once;
import static io.tradestore.domain.alert.Alerts.quote;
import static io.tradestore.domain.alert.Alerts.rearm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Quotes and position changes evaluated against an index of alerts, pure: what fires, what is armed again. */
class AlertEvaluatorTest {
  private final AlertIndex index = new AlertIndex();
  private final AlertEvaluator evaluator = new AlertEvaluator(index);
  private final Function<PositionKey, Position> noPositions = key -> Position.flat(key.account(), key.symbol());
  private long clock = T0;

  private List<String> fired(Quote quote) {
    return ids(evaluator.onQuote(quote, noPositions, quote.createdAt()));
  }

  private static List<String> ids(Evaluation evaluation) {
    return evaluation.firings().stream().map(f -> f.alert().alertId()).toList();
  }

  private Quote mid(String price) {
    clock++;
    return quote("q" + clock, "BTCUSDT", price, price, clock);
  }

  @Test
  void aQuoteFiresTheBidAskAndMidAlertsItMeetsAndNoOther() {
    index.put(once("bid-above", Kind.BID, ABOVE, "99"));
    index.put(once("ask-below", Kind.ASK, BELOW, "101"));
    index.put(once("mid-above", Kind.MID, ABOVE, "100"));
    index.put(once("mid-above-far", Kind.MID, ABOVE, "100.01"));
    index.put(once("ask-below-far", Kind.ASK, BELOW, "100.99"));
    Quote q = quote("q1", "BTCUSDT", "99", "101", T0 + 1);
    Evaluation evaluation = evaluator.onQuote(q, noPositions, T0 + 1);
    assertEquals(List.of("bid-above", "ask-below", "mid-above"), ids(evaluation));
    AlertFiring firing = evaluation.firings().get(2);
    assertEquals(d("100"), firing.value());
    assertEquals(AlertFiring.Cause.QUOTE, firing.cause());
    assertEquals("q1", firing.causeId());
    assertEquals(Status.TRIGGERED, firing.alert().status());
    assertNull(index.get("mid-above"), "a triggered alert leaves the index");
    assertEquals(2, index.size());
    assertEquals(List.of(), fired(quote("q2", "BTCUSDT", "99", "101", T0 + 2)), "fires once");
  }

  @Test
  void anotherSymbolsQuoteMovesNothing() {
    index.put(once("a", Kind.MID, ABOVE, "1"));
    assertEquals(List.of(), fired(quote("q1", "ETHUSDT", "5", "5", T0 + 1)));
  }

  @Test
  void aCrossingIsMeasuredFromTheSymbolsPreviousQuote() {
    index.put(once("up", Kind.MID, CROSSES_ABOVE, "100"));
    index.put(once("down", Kind.MID, CROSSES_BELOW, "100"));
    assertEquals(List.of(), fired(mid("101")), "no previous quote: no crossing");
    assertEquals(List.of(), fired(mid("102")), "still above");
    assertEquals(List.of("down"), fired(mid("100")), "down to the threshold");
    assertEquals(List.of(), fired(mid("99")), "from the threshold is not a crossing");
    assertEquals(List.of("up"), fired(mid("100.5")));
    assertEquals(d("100.5"), index.lastPrice("BTCUSDT", Kind.MID));
  }

  @Test
  void aCrossingCarriesThePriceBeforeIt() {
    index.put(once("up", Kind.BID, CROSSES_ABOVE, "10"));
    fired(quote("q1", "BTCUSDT", "9.5", "11", T0 + 1));
    AlertFiring firing = evaluator.onQuote(quote("q2", "BTCUSDT", "10.25", "11", T0 + 2), noPositions, T0 + 2)
        .firings().get(0);
    assertEquals(d("9.5"), firing.previous());
    assertEquals(d("10.25"), firing.value());
  }

  @Test
  void aPriceHoveringOnTheThresholdFiresARearmAlertOnceUntilItMovesBackByRearmBy() {
    index.put(rearm("r", Kind.MID, ABOVE, "100", "0.5"));
    assertEquals(List.of(), fired(mid("99.9")));
    assertEquals(List.of("r"), fired(mid("100.1")));
    assertEquals(List.of(), fired(mid("99.95")));
    assertEquals(List.of(), fired(mid("100.05")), "disarmed: the hover does not fire again");
    assertEquals(List.of(), fired(mid("99.5")), "back by rearmBy: armed again, nothing fires");
    assertTrue(index.get("r").armed());
    assertEquals(List.of("r"), fired(mid("100")));
    assertEquals(2, index.get("r").firings());
  }

  @Test
  void aQuoteMarksTheUnrealizedPnlOfPositionsInItsSymbol() {
    Position longTwo = PositionLedger.apply(Position.flat("desk", "BTCUSDT"), Side.BUY, d("2"), d("100"), null, null);
    Map<PositionKey, Position> positions = Map.of(new PositionKey("desk", "BTCUSDT"), longTwo);
    index.put(once("loss", Kind.UNREALIZED_PNL, BELOW, "-10"));
    assertEquals(List.of(), ids(evaluator.onQuote(quote("q1", "BTCUSDT", "95", "96", T0 + 1),
        k -> positions.getOrDefault(k, Position.flat(k.account(), k.symbol())), T0 + 1)), "2 x (95.5 - 100) = -9");
    Evaluation evaluation = evaluator.onQuote(quote("q2", "BTCUSDT", "94.5", "95.5", T0 + 2),
        k -> positions.getOrDefault(k, Position.flat(k.account(), k.symbol())), T0 + 2);
    assertEquals(List.of("loss"), ids(evaluation));
    assertEquals(d("-10"), evaluation.firings().get(0).value(), "at the limit: 2 x (95 - 100)");
  }

  @Test
  void aFillsPositionChangeMovesThatPositionsSizeAndPnlAlertsOnly() {
    index.put(once("size", Kind.ABS_QUANTITY, ABOVE, "3"));
    index.put(once("realized", Kind.REALIZED_PNL, BELOW, "-1"));
    index.put(once("unrealized", Kind.UNREALIZED_PNL, BELOW, "-1"));
    index.put(Alert.create("other", "other-desk", "BTCUSDT", Kind.ABS_QUANTITY, ABOVE, d("0"), Alert.Repeat.ONCE,
        null, null, null, T0));
    Position shortFour = PositionLedger.apply(Position.flat("desk", "BTCUSDT"), Side.SELL, d("4"), d("100"), null,
        null);
    assertEquals(List.of("size"), ids(evaluator.onPosition(shortFour, null, "f1", T0 + 1)),
        "|-4| above 3; without a mark unrealized PnL is unknown");
    Position bought = PositionLedger.apply(shortFour, Side.BUY, d("1"), d("102"), null, null);
    Evaluation evaluation = evaluator.onPosition(bought, d("101"), "f2", T0 + 2);
    assertEquals(List.of("realized", "unrealized"), ids(evaluation), "realized -2; unrealized -3 x 1 = -3");
    assertEquals(AlertFiring.Cause.FILL, evaluation.firings().get(0).cause());
    assertEquals("f2", evaluation.firings().get(0).causeId());
    assertEquals(1, index.size(), "the other desk's alert");
  }

  @Test
  void aRollbackRestoresTheCommittedIndexAndItsLastPrices() {
    index.put(once("up", Kind.MID, CROSSES_ABOVE, "100"));
    fired(mid("99"));
    index.committed();
    assertEquals(List.of("up"), fired(mid("101")));
    index.put(once("late", Kind.MID, ABOVE, "1"));
    index.rolledBack();
    assertEquals(d("99"), index.lastPrice("BTCUSDT", Kind.MID));
    assertTrue(index.get("up").armed());
    assertNull(index.get("late"));
    assertEquals(List.of("up"), fired(mid("101")), "the same move fires it again, now for good");
  }

  @Test
  void theIndexCountsItsActiveAlertsByKind() {
    index.put(once("a", Kind.MID, ABOVE, "1"));
    index.put(once("b", Kind.MID, BELOW, "1"));
    index.put(once("c", Kind.REALIZED_PNL, BELOW, "1"));
    assertEquals(Map.of(Kind.MID, 2L, Kind.REALIZED_PNL, 1L), index.activeByKind());
    index.put(AlertRules.apply(index.get("c"), AlertRules.Effect.FIRED, T0 + 1));
    assertEquals(Map.of(Kind.MID, 2L), index.activeByKind());
  }

  @Test
  void noAlertMeansNoPriceIsMissingFromTheNextCrossing() {
    BigDecimal before = index.lastPrice("BTCUSDT", Kind.BID);
    assertNull(before);
    fired(quote("q1", "BTCUSDT", "5", "6", T0 + 1));
    assertEquals(d("5"), index.lastPrice("BTCUSDT", Kind.BID), "remembered even with no alert on the symbol");
  }
  private static Alert expiring(String id, long expiresAt) {
    return Alert.create(id, "desk", "BTCUSDT", Kind.MID, ABOVE, d("1"), Alert.Repeat.ONCE, null, expiresAt, null, T0);
  }

  @Test
  void theAlertsDueToExpireComeSoonestFirstUpToTheLimitAtOrBeforeNow() {
    index.put(expiring("late", T0 + 300));
    index.put(expiring("soon", T0 + 100));
    index.put(expiring("tie", T0 + 100));
    index.put(once("never", Kind.MID, ABOVE, "1"));
    assertEquals(List.of(), index.expiredBy(T0 + 99, 10));
    assertEquals(List.of("soon", "tie"), index.expiredBy(T0 + 100, 10).stream().map(Alert::alertId).toList(),
        "an alert expires at its expiresAt, not after it");
    assertEquals(List.of("soon"), index.expiredBy(T0 + 1_000, 1).stream().map(Alert::alertId).toList());
    assertEquals(3, index.expiredBy(T0 + 1_000, 10).size(), "an alert with no expiry never expires");
  }

  @Test
  void theNextExpiryIsTheSoonestOfTheActiveAlertsAndFollowsTheirEnd() {
    assertNull(index.nextExpiry());
    index.put(once("never", Kind.MID, ABOVE, "1"));
    assertNull(index.nextExpiry(), "no active alert has an expiry");
    index.put(expiring("late", T0 + 300));
    index.put(expiring("soon", T0 + 100));
    index.committed();
    assertEquals(T0 + 100, index.nextExpiry());
    index.put(AlertRules.expire(index.get("soon"), T0 + 100));
    assertEquals(T0 + 300, index.nextExpiry(), "an expired alert leaves the expiry order");
    index.put(AlertRules.apply(index.get("late"), AlertRules.Effect.FIRED, T0 + 150));
    assertNull(index.nextExpiry(), "a triggered alert no longer expires");
    index.rolledBack();
    assertEquals(T0 + 100, index.nextExpiry(), "a rollback puts them back in order");
  }
  @Test
  void onceTheirPositionsAreKnownAQuoteReadsOnlyTheUnrealizedAlertsItsMarkReaches() {
    Map<PositionKey, Position> positions = new java.util.HashMap<>();
    for (int i = 0; i < 100; i++) {
      String account = "acct-" + i;
      Position position = PositionLedger.apply(Position.flat(account, "BTCUSDT"), Side.BUY, d("2"), d("100"),
          null, null);
      positions.put(new PositionKey(account, "BTCUSDT"), position);
      // 2 × (mark − 100) ≤ −(i + 1): fires at a mark of 99.5 − i / 2 or below
      index.put(Alert.create("u" + i, account, "BTCUSDT", Kind.UNREALIZED_PNL, BELOW, BigDecimal.valueOf(-(i + 1)),
          Alert.Repeat.ONCE, null, null, null, T0));
    }
    assertEquals(100, index.unrealizedMovedBy("BTCUSDT", d("101")).size(), "positions not known yet: all read");
    evaluator.onQuote(quote("q1", "BTCUSDT", "101", "101", T0 + 1), positions::get, T0 + 1);
    assertEquals(0, index.unrealizedMovedBy("BTCUSDT", d("100")).size(), "known now: none is reached at 100");
    assertEquals(3, index.unrealizedMovedBy("BTCUSDT", d("98.5")).size(), "u0, u1, u2");
    List<AlertFiring> fired = evaluator.onQuote(quote("q2", "BTCUSDT", "98.5", "98.5", T0 + 2), positions::get,
        T0 + 2).firings();
    assertEquals(List.of("u0", "u1", "u2"), fired.stream().map(f -> f.alert().alertId()).sorted().toList());
    assertEquals(d("-3"), fired.get(0).value());
  }
}
