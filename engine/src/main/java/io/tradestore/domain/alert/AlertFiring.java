package io.tradestore.domain.alert;

import java.math.BigDecimal;

/**
 * One firing of an alert: the alert after it, the value that met its threshold (and the value before it, for a
 * crossing; else null), what caused it (a quote or a fill, by id) and when.
 */
public record AlertFiring(Alert alert, BigDecimal value, BigDecimal previous, Cause cause, String causeId, long at) {
  public enum Cause { QUOTE, FILL }
}
