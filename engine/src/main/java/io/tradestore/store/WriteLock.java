package io.tradestore.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Taking SQLite's write lock for the writer ({@code BEGIN IMMEDIATE}). Another process (a backup, an operator's
 * sqlite3) may hold it for a while: each attempt waits up to {@code busy_timeout} inside SQLite, and a busy answer
 * is retried {@code writer.busyRetries} times with a growing, jittered pause, after which the batch is answered
 * {@code DATABASE_BUSY}. Whether a failure is "busy" is {@link SqliteBusy}'s one answer.
 */
final class WriteLock {
  private static final Logger LOG = LoggerFactory.getLogger(WriteLock.class);

  private final Vertx vertx;
  private final WriterConnection connection;
  private final int busyRetries;
  private final AtomicLong retries = new AtomicLong();

  WriteLock(Vertx vertx, WriterConnection connection, int busyRetries) {
    this.vertx = vertx;
    this.connection = connection;
    this.busyRetries = busyRetries;
  }

  /** From attempt {@code attempt} (0: the first; a caller that already met a busy lock once starts at 1). */
  Future<Void> begin(int attempt) {
    return connection.exec("BEGIN IMMEDIATE").recover(err -> {
      if (String.valueOf(err.getMessage()).contains("within a transaction") && attempt == 0) {
        // a transaction left open by a failure we did not foresee: end it rather than keep the write lock
        LOG.error("writer found a transaction still open; rolling it back");
        return connection.exec("ROLLBACK").otherwiseEmpty().compose(v -> begin(attempt + 1));
      }
      if (!SqliteBusy.isBusy(err) || attempt >= busyRetries) {
        return Future.failedFuture(err);
      }
      retries.incrementAndGet();
      long backoff = Math.min(1000, 10L << attempt) + ThreadLocalRandom.current().nextLong(10);
      Promise<Void> retry = Promise.promise();
      vertx.setTimer(backoff, id -> begin(attempt + 1).onComplete(retry));
      return retry.future();
    });
  }

  /**
   * After a busy {@code BEGIN} made outside {@link #begin} (the hot path's own): whether a retry is allowed, counting
   * it when it is.
   */
  boolean retryAfterFirstBusy() {
    if (busyRetries == 0) {
      return false;
    }
    retries.incrementAndGet();
    return true;
  }

  long retryCount() {
    return retries.get();
  }
}
