package io.tradestore.outbox;

/**
 * The outcome of one delivery attempt, to be recorded in the outbox row; {@code attempts} counts that attempt.
 * Events not attempted (a later event of an aggregate whose delivery failed) need no mark: their rows are still
 * PENDING, as they were.
 */
record Mark(long seq, String aggregateKey, Outcome outcome, int attempts, long at, long nextAttemptAt, String error,
            long createdAt) {

  enum Outcome { PUBLISHED, RETRY, BLOCKED }

  static Mark published(ClaimedEvent e, long at) {
    return new Mark(e.seq(), e.aggregateKey(), Outcome.PUBLISHED, e.attempts(), at, 0, null, e.createdAt());
  }

  static Mark retry(ClaimedEvent e, long at, long nextAttemptAt, String error) {
    return new Mark(e.seq(), e.aggregateKey(), Outcome.RETRY, e.attempts(), at, nextAttemptAt, error, e.createdAt());
  }

  static Mark blocked(ClaimedEvent e, long at, String error) {
    return new Mark(e.seq(), e.aggregateKey(), Outcome.BLOCKED, e.attempts(), at, at, error, e.createdAt());
  }
}
