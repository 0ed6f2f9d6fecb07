package io.tradestore.outbox;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Hands the events the trading book appended to the dispatcher once their transaction has committed, so that it
 * can deliver them from memory instead of reading back and parsing what was just written (measured: the read-back
 * and the parse were a third of the dispatcher's event-loop time, docs/performance.md).
 *
 * <p>It is only a shortcut. The dispatcher takes a hand-off only when it directly follows the last event it took
 * and no event in the table may be holding its aggregate back; anything else (events appended by other writes, a
 * hand-off it had no room for, a pass from the start, a blocked or retried event) it reads from the table as before,
 * so a lost or refused hand-off costs a read, never an event.
 */
public final class OutboxFeed {
  private final AtomicLong handed = new AtomicLong();
  private volatile Consumer<List<ClaimedEvent>> sink;

  /** From the writer's context, after the commit, in commit order; the events in seq order. */
  public void committed(List<ClaimedEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    handed.addAndGet(events.size());
    Consumer<List<ClaimedEvent>> to = sink;
    if (to != null) {
      to.accept(events);
    }
  }

  /** Events handed over so far (to a dispatcher or not): the appends a commit listener need not read back. */
  long handedCount() {
    return handed.get();
  }

  void connect(Consumer<List<ClaimedEvent>> sink) {
    this.sink = sink;
  }

  void disconnect() {
    this.sink = null;
  }
}
