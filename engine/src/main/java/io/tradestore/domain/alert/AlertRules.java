package io.tradestore.domain.alert;

import io.tradestore.domain.alert.Alert.Condition;
import io.tradestore.domain.alert.Alert.Repeat;
import io.tradestore.domain.alert.Alert.Status;

import java.math.BigDecimal;

/**
 * What one observed value does to one alert, and the alert lifecycle (no Vert.x, no SQL: tested directly).
 *
 * <pre>
 *   ACTIVE (armed) ──fire, once──► TRIGGERED
 *     │   ▲    └────fire, rearm──► ACTIVE (disarmed) ──value back past threshold by rearmBy──► ACTIVE (armed)
 *     └───┴──► CANCELLED | EXPIRED  (from either ACTIVE state)
 * </pre>
 * An alert past its expiry never fires, even before the expiry job has marked it.
 */
public final class AlertRules {
  private AlertRules() { }

  /** What an observed value did to an alert: it fired, it was armed again, or nothing. */
  public enum Effect { FIRED, REARMED, NONE }

  /**
   * Whether the condition is met as the value goes from {@code previous} to {@code value}. A crossing needs a
   * previous value; without one (null) it is not met.
   */
  public static boolean meets(Condition condition, BigDecimal threshold, BigDecimal previous, BigDecimal value) {
    return switch (condition) {
      case ABOVE -> value.compareTo(threshold) >= 0;
      case BELOW -> value.compareTo(threshold) <= 0;
      case CROSSES_ABOVE -> previous != null && previous.compareTo(threshold) < 0 && value.compareTo(threshold) >= 0;
      case CROSSES_BELOW -> previous != null && previous.compareTo(threshold) > 0 && value.compareTo(threshold) <= 0;
    };
  }

  /**
   * The value at or past which a fired rearm alert is armed again: {@code rearmBy} back from the threshold, on
   * the side away from the one that fired it.
   */
  public static BigDecimal rearmLevel(Alert alert) {
    return alert.condition().isUpward()
        ? alert.threshold().subtract(alert.rearmBy())
        : alert.threshold().add(alert.rearmBy());
  }

  /** Whether a disarmed alert is armed again by this value. */
  public static boolean rearms(Alert alert, BigDecimal value) {
    int c = value.compareTo(rearmLevel(alert));
    return alert.condition().isUpward() ? c <= 0 : c >= 0;
  }

  /** What the value (after {@code previous}, or null) does to an active alert at {@code at}. */
  public static Effect effect(Alert alert, BigDecimal previous, BigDecimal value, long at) {
    if (alert.statusAt(at) != Status.ACTIVE || value == null) {
      return Effect.NONE;
    }
    if (alert.armed()) {
      return meets(alert.condition(), alert.threshold(), previous, value) ? Effect.FIRED : Effect.NONE;
    }
    return alert.repeat() == Repeat.REARM && rearms(alert, value) ? Effect.REARMED : Effect.NONE;
  }

  /** The alert after {@code effect} at {@code at}; the same alert when the effect is NONE. */
  public static Alert apply(Alert alert, Effect effect, long at) {
    return switch (effect) {
      case FIRED -> alert.fired(at);
      case REARMED -> alert.rearmed(at);
      case NONE -> alert;
    };
  }

  /** The outcome of a cancel or an expiry: the alert after it, a resend of what it is already, or a refusal. */
  public sealed interface Outcome {
    record Changed(Alert alert) implements Outcome { }

    record Duplicate(Alert alert) implements Outcome { }

    record Refused(String message) implements Outcome { }
  }

  /** A caller's cancel: an active alert becomes CANCELLED; cancelling it again is a resend; a finished one is not. */
  public static Outcome cancel(Alert alert, long now) {
    return switch (alert.statusAt(now)) {
      case ACTIVE -> new Outcome.Changed(alert.finished(Status.CANCELLED, now));
      case CANCELLED -> new Outcome.Duplicate(alert);
      case TRIGGERED, EXPIRED -> new Outcome.Refused("alert " + alert.alertId() + " is " + alert.statusAt(now)
          + " and can no longer be cancelled");
    };
  }

  /** The expiry job's mark: an active alert past its expiry becomes EXPIRED; any other is left as it is. */
  public static Alert expire(Alert alert, long now) {
    return alert.status() == Status.ACTIVE && alert.statusAt(now) == Status.EXPIRED
        ? alert.finished(Status.EXPIRED, now)
        : alert;
  }
}
