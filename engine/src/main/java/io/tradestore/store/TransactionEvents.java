package io.tradestore.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Who hears of the writer's transactions: commit listeners (the outbox wakes on them) and transaction observers
 * (metrics, the bench's commit-time histogram). All run on the writer's context and must be quick; one that throws
 * is logged and the others still hear.
 */
final class TransactionEvents {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionEvents.class);

  private final List<Runnable> commitListeners = new CopyOnWriteArrayList<>();
  private final List<StoreWriter.TransactionObserver> observers = new CopyOnWriteArrayList<>();

  void addCommitListener(Runnable listener) {
    commitListeners.add(listener);
  }

  void removeCommitListener(Runnable listener) {
    commitListeners.remove(listener);
  }

  void addObserver(StoreWriter.TransactionObserver observer) {
    observers.add(observer);
  }

  void removeObserver(StoreWriter.TransactionObserver observer) {
    observers.remove(observer);
  }

  void committed() {
    for (Runnable listener : commitListeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        LOG.error("commit listener failed", e);
      }
    }
  }

  /** A transaction of {@code commands} ended after {@code nanos}, with {@code failure} or (null) committed. */
  void ended(int commands, long nanos, Throwable failure) {
    StoreWriter.TransactionOutcome outcome = failure == null ? StoreWriter.TransactionOutcome.COMMITTED
        : failure instanceof io.tradestore.CommandFailure ? StoreWriter.TransactionOutcome.REFUSED
        : SqliteBusy.isBusy(failure) ? StoreWriter.TransactionOutcome.BUSY
        : StoreWriter.TransactionOutcome.FAILED;
    for (StoreWriter.TransactionObserver observer : observers) {
      try {
        observer.transaction(commands, nanos, outcome);
      } catch (RuntimeException e) {
        LOG.error("transaction observer failed", e);
      }
    }
  }
}
