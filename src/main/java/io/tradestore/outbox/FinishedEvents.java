package io.tradestore.outbox;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many retained outbox events are PUBLISHED and SKIPPED, for the gauges: counted once by a scan of the retained
 * history, then kept by the engine itself as it records each outcome (dispatcher marks, operator skips) and as
 * retention purges finished events. The scan reads every retained event (measured: 1.3 s warm, 4 s cold for 2.9
 * million), and it used to run every minute, a cost that grew with the history for as long as the engine ran.
 *
 * <p>A count is a snapshot and the engine's own records are not: an outcome recorded while a scan runs may be
 * counted twice or not at all, until the next scan ({@code trading.outbox.status} with {@code finished}).
 */
public final class FinishedEvents {
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private volatile boolean counted;

  /** A scan's result replaces what is kept. */
  void counted(long publishedEvents, long skippedEvents) {
    published.set(publishedEvents);
    skipped.set(skippedEvents);
    counted = true;
  }

  void published(long events) {
    published.addAndGet(events);
  }

  void skipped(long events) {
    skipped.addAndGet(events);
  }

  /** Retention removed finished events (in the commit that removed them). */
  public void purged(long publishedEvents, long skippedEvents) {
    published.addAndGet(-publishedEvents);
    skipped.addAndGet(-skippedEvents);
  }

  /** False until the first scan: until then the gauges cannot say. */
  boolean counted() {
    return counted;
  }

  long published() {
    return published.get();
  }

  long skipped() {
    return skipped.get();
  }
}
