package io.tradestore.outbox;

import io.tradestore.outbox.AggregateChains.Taken;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-aggregate chains, without a dispatcher: order within an aggregate, and how a failure holds it back. */
class AggregateChainsTest {
  private final AggregateChains chains = new AggregateChains();

  private static ClaimedEvent event(long seq, String order) {
    return new ClaimedEvent(seq, "e-" + seq, "order.updated", "order", order, "{}", null, 1_000L, 1);
  }

  @Test
  void anAggregatesEventsAreDeliveredOneAfterAnotherInSeqOrderWhileOthersStartAtOnce() {
    ClaimedEvent a1 = event(1, "a");
    ClaimedEvent a2 = event(2, "a");
    ClaimedEvent b3 = event(3, "b");
    assertEquals(Taken.FIRST, chains.take(a1, false));
    assertEquals(Taken.QUEUED, chains.take(a2, false));
    assertEquals(Taken.FIRST, chains.take(b3, false));
    assertSame(a1, chains.first("order/a"));
    assertSame(a2, chains.delivered("order/a"));
    assertNull(chains.delivered("order/a"), "the chain is done");
    assertEquals(Taken.FIRST, chains.take(event(4, "a"), false), "a later event starts a new chain");
  }

  @Test
  void anEventTakenOrJustRecordedIsNotTakenAgainByALaterPass() {
    ClaimedEvent a1 = event(1, "a");
    chains.take(a1, false);
    assertEquals(Taken.SKIPPED, chains.take(a1, false), "still in flight");
    chains.delivered("order/a");
    assertEquals(Taken.SKIPPED, chains.take(a1, false), "delivered, its mark not yet recorded");
    chains.recorded(Mark.published(a1, 2_000L));
    assertEquals(Taken.FIRST, chains.take(event(2, "a"), false));
    assertEquals(Taken.SKIPPED, chains.take(event(5, "c"), true), "its outcome committed while the read ran");
  }

  @Test
  void aFailureDropsTheRestOfItsChainAndHoldsTheAggregateBackUntilAPassAfterItsMarkIsRecorded() {
    ClaimedEvent a1 = event(1, "a");
    chains.take(a1, false);
    chains.take(event(2, "a"), false);
    chains.take(event(3, "a"), false);
    assertEquals(2, chains.failed("order/a"), "the two behind it stay PENDING");
    assertTrue(chains.anyUnrecordedFailure());
    assertEquals(Taken.SKIPPED, chains.take(event(2, "a"), false), "held back behind the failure");
    assertEquals(Taken.FIRST, chains.take(event(4, "b"), false), "other aggregates flow");

    chains.newPass();
    assertEquals(Taken.SKIPPED, chains.take(event(2, "a"), false), "its failure is not recorded: memory holds it back");
    chains.recorded(Mark.retry(a1, 2_000L, 3_000L, "no consumer"));
    assertFalse(chains.anyUnrecordedFailure());
    assertEquals(Taken.SKIPPED, chains.take(event(2, "a"), false), "still this pass");
    chains.newPass();
    assertEquals(Taken.FIRST, chains.take(event(2, "a"), false), "the database holds it back from here: a pass takes what it returns");
  }

  @Test
  void abandoningAChainGivesBackWhatWaitedInIt() {
    chains.take(event(1, "a"), false);
    chains.take(event(2, "a"), false);
    assertEquals(2, chains.abandon("order/a"));
    assertEquals(0, chains.abandon("order/a"));
    assertEquals(Taken.FIRST, chains.take(event(1, "a"), false), "what was abandoned may be taken again");
  }
}
