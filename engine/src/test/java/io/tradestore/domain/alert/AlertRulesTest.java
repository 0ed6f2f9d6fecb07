package io.tradestore.domain.alert;

import io.tradestore.domain.alert.Alert.Condition;
import io.tradestore.domain.alert.Alert.Kind;
import io.tradestore.domain.alert.Alert.Status;
import io.tradestore.domain.alert.AlertRules.Effect;
import io.tradestore.domain.alert.AlertRules.Outcome;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static io.tradestore.domain.alert.Alert.Condition.ABOVE;
import static io.tradestore.domain.alert.Alert.Condition.BELOW;
import static io.tradestore.domain.alert.Alert.Condition.CROSSES_ABOVE;
import static io.tradestore.domain.alert.Alert.Condition.CROSSES_BELOW;
import static io.tradestore.domain.alert.Alerts.T0;
import static io.tradestore.domain.alert.Alerts.d;
import static io.tradestore.domain.alert.Alerts.once;
import static io.tradestore.domain.alert.Alerts.rearm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One alert and one observed value at a time, pure: conditions, equality, crossings, hysteresis, the lifecycle. */
class AlertRulesTest {
  private static boolean meets(Condition c, String threshold, String previous, String value) {
    return AlertRules.meets(c, d(threshold), previous == null ? null : d(previous), d(value));
  }

  @Test
  void aboveIsMetAtTheThresholdAndPastItButNotShortOfIt() {
    assertTrue(meets(ABOVE, "100", null, "100"), "at the threshold counts");
    assertTrue(meets(ABOVE, "100", null, "100.00000001"));
    assertFalse(meets(ABOVE, "100", null, "99.99999999"));
    assertTrue(meets(ABOVE, "100", null, "100.000"), "scale does not matter: 100.000 is 100");
  }

  @Test
  void belowIsMetAtTheThresholdAndUnderItButNotOverIt() {
    assertTrue(meets(BELOW, "-50", null, "-50"));
    assertTrue(meets(BELOW, "-50", null, "-50.1"));
    assertFalse(meets(BELOW, "-50", null, "-49.9"));
  }

  @Test
  void aCrossingNeedsAPreviousValueStrictlyOnTheOtherSide() {
    assertFalse(meets(CROSSES_ABOVE, "100", null, "101"), "no previous value: no crossing");
    assertFalse(meets(CROSSES_ABOVE, "100", "100", "101"), "from the threshold itself is not a crossing");
    assertFalse(meets(CROSSES_ABOVE, "100", "100.5", "101"), "already above");
    assertTrue(meets(CROSSES_ABOVE, "100", "99.5", "100"), "up to the threshold crosses it");
    assertTrue(meets(CROSSES_ABOVE, "100", "99.5", "120"));
    assertFalse(meets(CROSSES_ABOVE, "100", "99", "99.99"));

    assertFalse(meets(CROSSES_BELOW, "100", null, "99"));
    assertFalse(meets(CROSSES_BELOW, "100", "100", "99"));
    assertTrue(meets(CROSSES_BELOW, "100", "100.01", "100"));
    assertTrue(meets(CROSSES_BELOW, "100", "101", "80"));
    assertFalse(meets(CROSSES_BELOW, "100", "99", "80"), "already below");
  }

  @Test
  void thresholdsAreExactDecimalsNotBinaryFractions() {
    BigDecimal threshold = d("0.1").add(d("0.2")); // 0.3 exactly; as doubles it would be 0.30000000000000004
    assertTrue(AlertRules.meets(ABOVE, threshold, null, d("0.3")));
    assertTrue(AlertRules.meets(BELOW, threshold, null, d("0.3")));
    assertFalse(AlertRules.meets(ABOVE, threshold, null, d("0.2999999999999999999999999")));
    assertFalse(AlertRules.meets(BELOW, threshold, null, d("0.3000000000000000000000001")));
    assertEquals("0.3", once("a", Kind.MID, ABOVE, "0.30").threshold().toPlainString(), "stored canonical");
  }

  @Test
  void aOnceAlertIsTriggeredByItsFirstFiringAndNothingMovesItAfter() {
    Alert alert = once("a", Kind.MID, ABOVE, "100");
    assertEquals(Effect.NONE, AlertRules.effect(alert, null, d("99"), T0 + 1));
    assertEquals(Effect.FIRED, AlertRules.effect(alert, null, d("100"), T0 + 1));
    Alert fired = AlertRules.apply(alert, Effect.FIRED, T0 + 1);
    assertEquals(Status.TRIGGERED, fired.status());
    assertEquals(1, fired.firings());
    assertEquals(T0 + 1, fired.lastFiredAt());
    assertEquals(Effect.NONE, AlertRules.effect(fired, null, d("90"), T0 + 2), "no rearm for a once alert");
    assertEquals(Effect.NONE, AlertRules.effect(fired, null, d("110"), T0 + 3));
  }

  @Test
  void aRearmAlertIsArmedAgainOnlyOnceTheValueIsBackPastTheThresholdByRearmBy() {
    Alert alert = rearm("a", Kind.BID, ABOVE, "100", "0.5");
    Alert fired = AlertRules.apply(alert, AlertRules.effect(alert, null, d("100.1"), T0 + 1), T0 + 1);
    assertEquals(Status.ACTIVE, fired.status());
    assertFalse(fired.armed());
    assertEquals(Effect.NONE, AlertRules.effect(fired, null, d("100.2"), T0 + 2), "disarmed: no storm");
    assertEquals(Effect.NONE, AlertRules.effect(fired, null, d("99.51"), T0 + 3), "not back far enough");
    assertEquals(Effect.REARMED, AlertRules.effect(fired, null, d("99.5"), T0 + 4), "at the rearm level");
    Alert rearmed = AlertRules.apply(fired, Effect.REARMED, T0 + 4);
    assertTrue(rearmed.armed());
    assertEquals(Effect.FIRED, AlertRules.effect(rearmed, null, d("100"), T0 + 5));
    assertEquals(2, AlertRules.apply(rearmed, Effect.FIRED, T0 + 5).firings());

    Alert falling = rearm("b", Kind.ASK, CROSSES_BELOW, "100", "2");
    assertEquals(d("102"), AlertRules.rearmLevel(falling), "a falling alert rearms above its threshold");
  }

  @Test
  void anAlertPastItsExpiryNeverFiresEvenBeforeItIsMarked() {
    Alert alert = Alert.create("a", "desk", "BTCUSDT", Kind.MID, ABOVE, d("100"), Alert.Repeat.ONCE, null, T0 + 10,
        null, T0);
    assertEquals(Effect.FIRED, AlertRules.effect(alert, null, d("101"), T0 + 9));
    assertEquals(Effect.NONE, AlertRules.effect(alert, null, d("101"), T0 + 10));
    assertEquals(Status.EXPIRED, alert.statusAt(T0 + 10));
    assertEquals(Status.EXPIRED, AlertRules.expire(alert, T0 + 10).status());
    assertEquals(Status.ACTIVE, AlertRules.expire(alert, T0 + 9).status(), "not yet");
  }

  @Test
  void cancelEndsAnActiveAlertIsAResendWhenCancelledAndIsRefusedWhenFinishedOtherwise() {
    Alert alert = once("a", Kind.MID, ABOVE, "100");
    Outcome cancelled = AlertRules.cancel(alert, T0 + 1);
    Alert after = assertInstanceOf(Outcome.Changed.class, cancelled).alert();
    assertEquals(Status.CANCELLED, after.status());
    assertInstanceOf(Outcome.Duplicate.class, AlertRules.cancel(after, T0 + 2));
    Alert triggered = AlertRules.apply(alert, Effect.FIRED, T0 + 1);
    assertEquals("alert a is TRIGGERED and can no longer be cancelled",
        assertInstanceOf(Outcome.Refused.class, AlertRules.cancel(triggered, T0 + 2)).message());
    Alert rearmable = AlertRules.apply(rearm("b", Kind.MID, ABOVE, "100", "1"), Effect.FIRED, T0 + 1);
    assertInstanceOf(Outcome.Changed.class, AlertRules.cancel(rearmable, T0 + 2), "a fired rearm alert is active");
  }

  @Test
  void aResentCreateIsTheSameRequestWhateverTheAlertHasBecome() {
    Alert alert = rearm("a", Kind.MID, ABOVE, "100", "1");
    Alert fired = AlertRules.apply(alert, Effect.FIRED, T0 + 5);
    assertTrue(fired.sameRequestAs(rearm("a", Kind.MID, ABOVE, "100.0", "1.00")));
    assertFalse(fired.sameRequestAs(rearm("a", Kind.MID, ABOVE, "100", "2")));
    assertFalse(fired.sameRequestAs(rearm("a", Kind.BID, ABOVE, "100", "1")));
  }
}
