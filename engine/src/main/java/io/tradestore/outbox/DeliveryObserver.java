package io.tradestore.outbox;

/**
 * Told of each event the dispatcher delivered, before its outcome is recorded. The crash tests pass one that answers
 * {@code true} at a chosen event: the dispatcher then behaves as a process killed at that instant (nothing more is
 * recorded; the rows stay PENDING and are delivered again at the next start). The engine runs with {@link #NONE}.
 */
@FunctionalInterface
interface DeliveryObserver {
  DeliveryObserver NONE = delivered -> false;

  /** @return true to stop the dispatcher here, its outcome unrecorded */
  boolean crashAfter(ClaimedEvent delivered);
}
