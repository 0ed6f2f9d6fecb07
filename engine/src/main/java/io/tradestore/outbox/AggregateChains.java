package io.tradestore.outbox;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The events taken for delivery, chained by aggregate in seq order: the first of each chain is being delivered,
 * the rest wait behind it, so one aggregate's events go out one after another while other aggregates flow. A
 * failed event holds back the later events of its aggregate until a pass from the start that begins after its
 * failure was recorded. Plain state, no I/O: the dispatcher drives it on its own context.
 */
final class AggregateChains {
  /** What {@link #take} did with an event. */
  enum Taken {
    /** left PENDING: already taken, just recorded, or behind a failure of its aggregate */
    SKIPPED,
    /** queued behind its aggregate's event in flight */
    QUEUED,
    /** the first of its aggregate: deliver it now */
    FIRST
  }

  private final Map<String, ArrayDeque<ClaimedEvent>> chains = new HashMap<>();
  /** Aggregates whose delivery failed in this pass (or whose failure is not recorded yet): their later events wait. */
  private final Set<String> failedSinceRescan = new HashSet<>();
  /** Seqs taken and not yet recorded or given up: a pass from the start must not take them again. */
  private final Set<Long> taken = new HashSet<>();
  /** Failure outcomes not yet committed, by aggregate: until they are, only memory holds their aggregates back. */
  private final Map<String, Integer> unrecordedFailures = new HashMap<>();

  /** @param justRecorded the event's outcome committed while the read that returned it ran */
  Taken take(ClaimedEvent event, boolean justRecorded) {
    if (taken.contains(event.seq()) || justRecorded) {
      return Taken.SKIPPED; // taken by an earlier pass and still in flight or awaiting its mark, or just recorded
    }
    String key = event.aggregateKey();
    if (failedSinceRescan.contains(key)) {
      return Taken.SKIPPED; // stays PENDING behind the failed one; the pass after the failure's retry comes due finds it
    }
    taken.add(event.seq());
    ArrayDeque<ClaimedEvent> chain = chains.get(key);
    if (chain != null) {
      chain.addLast(event);
      return Taken.QUEUED;
    }
    chain = new ArrayDeque<>();
    chain.add(event);
    chains.put(key, chain);
    return Taken.FIRST;
  }

  /** The event of the aggregate being delivered. */
  ClaimedEvent first(String key) {
    return chains.get(key).peekFirst();
  }

  /** Its first event went through (its mark is still to be recorded): the next to deliver, or null when none is left. */
  ClaimedEvent delivered(String key) {
    ArrayDeque<ClaimedEvent> chain = chains.get(key);
    chain.pollFirst();
    if (chain.isEmpty()) {
      chains.remove(key);
      return null;
    }
    return chain.peekFirst();
  }

  /**
   * Its first event failed (its mark is still to be recorded): the aggregate is held back from now on and the rest
   * of its chain is dropped, still PENDING. Returns how many were dropped.
   */
  int failed(String key) {
    chains.get(key).pollFirst();
    failedSinceRescan.add(key);
    unrecordedFailures.merge(key, 1, Integer::sum);
    return abandon(key);
  }

  /** Drops what waits in the aggregate's chain (those rows were never changed: still PENDING); returns how many. */
  int abandon(String key) {
    ArrayDeque<ClaimedEvent> chain = chains.remove(key);
    if (chain == null) {
      return 0;
    }
    chain.forEach(e -> taken.remove(e.seq()));
    return chain.size();
  }

  /** An outcome committed: the event is no longer taken, and a failure no longer held back by memory alone. */
  void recorded(Mark mark) {
    taken.remove(mark.seq());
    if (mark.outcome() != Mark.Outcome.PUBLISHED) {
      unrecordedFailures.computeIfPresent(mark.aggregateKey(), (k, n) -> n == 1 ? null : n - 1);
    }
  }

  /** A pass from the start begins: a recorded failure is held back by the database itself, an unrecorded one still here. */
  void newPass() {
    failedSinceRescan.retainAll(unrecordedFailures.keySet());
  }

  boolean anyUnrecordedFailure() {
    return !unrecordedFailures.isEmpty();
  }
}
