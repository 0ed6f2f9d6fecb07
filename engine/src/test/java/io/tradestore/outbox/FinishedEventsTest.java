package io.tradestore.outbox;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The finished counts: a scan's result plus what the engine recorded after the scan began. */
class FinishedEventsTest {
  @Test
  void outcomesRecordedWhileAScanRunsAreAddedToItsResultNotLost() {
    FinishedEvents finished = new FinishedEvents();
    finished.published(5); // before any scan: part of what the scan will find
    assertFalse(finished.counted());
    FinishedEvents.ScanStart start = finished.scanStarting();
    finished.published(3); // committed after the scan's snapshot: not in its result
    finished.skipped(1);
    finished.counted(start, 100, 7);
    assertTrue(finished.counted());
    assertEquals(103, finished.published());
    assertEquals(8, finished.skipped());
    finished.purged(40, 2);
    finished.published(1);
    assertEquals(64, finished.published());
    assertEquals(6, finished.skipped());
    // a later scan replaces the counts, again with what is recorded while it runs
    FinishedEvents.ScanStart again = finished.scanStarting();
    finished.published(2);
    finished.counted(again, 70, 6);
    assertEquals(72, finished.published());
    assertEquals(6, finished.skipped());
  }
}
