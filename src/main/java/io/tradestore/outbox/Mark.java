package io.tradestore.outbox;

/** The outcome of one delivery attempt, to be recorded in the outbox row. */
record Mark(long seq, Outcome outcome, long at, long nextAttemptAt, String error, long createdAt) {

  enum Outcome { PUBLISHED, RETRY, BLOCKED, RELEASED }

  static Mark published(ClaimedEvent e, long at) {
    return new Mark(e.seq(), Outcome.PUBLISHED, at, 0, null, e.createdAt());
  }

  static Mark retry(ClaimedEvent e, long at, long nextAttemptAt, String error) {
    return new Mark(e.seq(), Outcome.RETRY, at, nextAttemptAt, error, e.createdAt());
  }

  static Mark blocked(ClaimedEvent e, long at, String error) {
    return new Mark(e.seq(), Outcome.BLOCKED, at, at, error, e.createdAt());
  }

  static Mark released(ClaimedEvent e) {
    return new Mark(e.seq(), Outcome.RELEASED, 0, 0, null, e.createdAt());
  }
}
