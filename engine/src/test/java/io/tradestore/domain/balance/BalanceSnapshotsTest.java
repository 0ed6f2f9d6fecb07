package io.tradestore.domain.balance;

import io.tradestore.domain.Decision;
import io.tradestore.domain.Refusal;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

class BalanceSnapshotsTest {
  private static Balance snapshot(String available, String locked, long asOf) {
    return new Balance("desk-1", "USDT", new BigDecimal(available), new BigDecimal(locked), asOf, asOf + 20);
  }

  @Test
  void aFirstSnapshotIsRecorded() {
    Balance first = snapshot("10", "0", 1_000);
    assertSame(first, ((Decision.Changed<Balance>) BalanceSnapshots.decide(null, first)).value());
  }

  @Test
  void aNewerSnapshotReplacesTheStoredOneWhateverItsAmounts() {
    Balance newer = snapshot("-3", "1", 2_000);
    assertInstanceOf(Decision.Changed.class, BalanceSnapshots.decide(snapshot("10", "0", 1_000), newer));
  }

  @Test
  void anOlderSnapshotIsAConflictOnAsOfNamingBothTimes() {
    Refusal refusal = ((Decision.Refused<Balance>) BalanceSnapshots.decide(snapshot("10", "0", 2_000),
        snapshot("10", "0", 1_999))).refusal();
    assertEquals(Refusal.Kind.CONFLICT, refusal.kind());
    assertEquals("asOf", refusal.field());
    assertEquals("snapshot asOf 1970-01-01T00:00:01.999Z is older than the stored one (1970-01-01T00:00:02Z)",
        refusal.message());
  }

  @Test
  void theSameAsOfWithEqualAmountsIsADuplicateOfTheStoredOne() {
    Balance stored = snapshot("10.50", "0", 1_000);
    Decision<Balance> resent = BalanceSnapshots.decide(stored, snapshot("10.5", "0.000", 1_000));
    assertSame(stored, ((Decision.Duplicate<Balance>) resent).value(), "amounts compare by value, not by scale");
  }

  @Test
  void theSameAsOfWithOtherAmountsIsAConflict() {
    Decision<Balance> other = BalanceSnapshots.decide(snapshot("10", "0", 1_000), snapshot("10", "0.1", 1_000));
    assertEquals(Refusal.Kind.CONFLICT, ((Decision.Refused<Balance>) other).refusal().kind());
  }
}
