package io.tradestore.domain.alert;

import io.tradestore.domain.Decimals;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A caller's rule on a value the book knows (a symbol's quoted price, or a position), and where it stands: whether
 * it is armed (ready to fire) and how often it fired. A {@link Repeat#ONCE once} alert is done after its first
 * firing; a {@link Repeat#REARM rearm} alert stays active and is armed again once the value has moved back past
 * its threshold by {@code rearmBy}, so a price hovering on the threshold fires once, not on every quote.
 */
public record Alert(
    String alertId,
    String account,
    String symbol,
    Kind kind,
    Condition condition,
    BigDecimal threshold,
    Repeat repeat,
    BigDecimal rearmBy,
    Long expiresAt,
    String note,
    Status status,
    boolean armed,
    long firings,
    Long lastFiredAt,
    long createdAt,
    long updatedAt) {

  /** The value an alert watches: one side of the symbol's quotes, or the account's position in the symbol. */
  public enum Kind {
    BID, ASK, MID, UNREALIZED_PNL, REALIZED_PNL, ABS_QUANTITY;

    /** Price kinds are evaluated by quotes; position kinds by fills, and unrealized PnL by quotes too. */
    public boolean isPrice() {
      return this == BID || this == ASK || this == MID;
    }
  }

  /**
   * How the value meets the threshold. At the threshold counts as reaching it: {@code ABOVE} is value &ge;
   * threshold, {@code BELOW} value &le; threshold. A crossing needs the value before it strictly on the other side:
   * {@code CROSSES_ABOVE} is previous &lt; threshold &le; value, {@code CROSSES_BELOW} previous &gt; threshold &ge;
   * value.
   */
  public enum Condition {
    ABOVE, BELOW, CROSSES_ABOVE, CROSSES_BELOW;

    public boolean isCrossing() {
      return this == CROSSES_ABOVE || this == CROSSES_BELOW;
    }

    /** True for the conditions met by a rising value. */
    public boolean isUpward() {
      return this == ABOVE || this == CROSSES_ABOVE;
    }
  }

  public enum Repeat { ONCE, REARM }

  public enum Status {
    ACTIVE, TRIGGERED, CANCELLED, EXPIRED;

    public boolean isFinished() {
      return this != ACTIVE;
    }
  }

  public Alert {
    threshold = Decimals.canonical(threshold);
    rearmBy = rearmBy == null ? null : Decimals.canonical(rearmBy);
  }

  /** A new alert as a create command asks for it: active and armed, never fired. */
  public static Alert create(String alertId, String account, String symbol, Kind kind, Condition condition,
                             BigDecimal threshold, Repeat repeat, BigDecimal rearmBy, Long expiresAt, String note,
                             long now) {
    return new Alert(alertId, account, symbol, kind, condition, threshold, repeat, rearmBy, expiresAt, note,
        Status.ACTIVE, true, 0, null, now, now);
  }

  /** The status as of {@code now}: an active alert past its expiry reads EXPIRED before the expiry job marks it. */
  public Status statusAt(long now) {
    return status == Status.ACTIVE && expiresAt != null && expiresAt <= now ? Status.EXPIRED : status;
  }

  /** True when a resend of the create asks for the same rule (the idempotency check; the state is not compared). */
  public boolean sameRequestAs(Alert other) {
    return account.equals(other.account) && symbol.equals(other.symbol) && kind == other.kind
        && condition == other.condition && threshold.equals(other.threshold) && repeat == other.repeat
        && Objects.equals(rearmBy, other.rearmBy) && Objects.equals(expiresAt, other.expiresAt)
        && Objects.equals(note, other.note);
  }

  Alert fired(long at) {
    Status after = repeat == Repeat.ONCE ? Status.TRIGGERED : Status.ACTIVE;
    return new Alert(alertId, account, symbol, kind, condition, threshold, repeat, rearmBy, expiresAt, note, after,
        false, firings + 1, at, createdAt, at);
  }

  Alert rearmed(long at) {
    return new Alert(alertId, account, symbol, kind, condition, threshold, repeat, rearmBy, expiresAt, note, status,
        true, firings, lastFiredAt, createdAt, at);
  }

  Alert finished(Status finished, long at) {
    return new Alert(alertId, account, symbol, kind, condition, threshold, repeat, rearmBy, expiresAt, note,
        finished, false, firings, lastFiredAt, createdAt, at);
  }
}
