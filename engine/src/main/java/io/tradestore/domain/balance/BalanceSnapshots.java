package io.tradestore.domain.balance;

import io.tradestore.domain.Decision;
import io.tradestore.domain.Refusal;

import java.time.Instant;

/**
 * Whether a venue's balance snapshot replaces the stored one. Venues resend, and an old snapshot arriving late
 * must not overwrite a newer one: an older {@code asOf} is refused; the same {@code asOf} with the same amounts is
 * a resend; the same {@code asOf} with other amounts contradicts what was recorded.
 */
public final class BalanceSnapshots {
  private BalanceSnapshots() { }

  /** @param stored the account's stored balance of the asset, or null when there is none */
  public static Decision<Balance> decide(Balance stored, Balance snapshot) {
    if (stored == null || snapshot.asOf() > stored.asOf()) {
      return Decision.changed(snapshot);
    }
    if (snapshot.asOf() < stored.asOf()) {
      return Decision.refused(Refusal.conflict("asOf", "snapshot asOf " + Instant.ofEpochMilli(snapshot.asOf())
          + " is older than the stored one (" + Instant.ofEpochMilli(stored.asOf()) + ")"));
    }
    return snapshot.sameAmountsAs(stored)
        ? Decision.duplicate(stored)
        : Decision.refused(Refusal.conflict("asOf", "a different snapshot with the same asOf was already recorded"));
  }
}
