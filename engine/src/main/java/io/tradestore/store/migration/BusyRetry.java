package io.tradestore.store.migration;

import io.tradestore.store.SqliteBusy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retries a whole transaction when SQLite reports that another connection is in the way. busy_timeout already
 * waits inside each attempt; this covers what it does not: {@code SQLITE_BUSY} after the timeout ran out,
 * {@code BUSY_SNAPSHOT} (returned at once, whatever the timeout), {@code BUSY_RECOVERY} and {@code LOCKED}.
 * Only those are retried; every other error is a property of the migration and would fail the same way again.
 *
 * @param maxAttempts    attempts in all, at least 1
 * @param initialBackoff the pause after the first busy attempt; doubles after each further one
 * @param maxBackoff     the longest pause
 */
record BusyRetry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
  private static final Logger LOG = LoggerFactory.getLogger(BusyRetry.class);

  static final BusyRetry DEFAULT = new BusyRetry(8, Duration.ofMillis(50), Duration.ofSeconds(2));

  BusyRetry {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  @FunctionalInterface
  interface Work<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code work} until it returns, fails with a non-busy error (rethrown as is, or wrapped when it is an
   * SQLException), or the attempts run out.
   *
   * @param what what the work does, for the message: "applying 003_x.sql"
   */
  <T> T run(String what, int busyTimeoutMs, Work<T> work) {
    long started = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try {
        return work.run();
      } catch (SQLException e) {
        if (!SqliteBusy.isBusy(e)) {
          throw new MigrationException(what + " failed: " + e.getMessage(), e);
        }
        long waitedMs = (System.nanoTime() - started) / 1_000_000;
        if (attempt >= maxAttempts) {
          throw new MigrationException("database is busy: gave up " + what + " after " + attempt + " attempts and "
              + waitedMs + " ms of waiting in total (busy_timeout " + busyTimeoutMs + " ms per attempt); another "
              + "connection holds the write lock: " + e.getMessage(), e);
        }
        long pause = pause(attempt);
        LOG.warn("database busy while {} (attempt {} of {}, {} ms so far); retrying in {} ms",
            what, attempt, maxAttempts, waitedMs, pause);
        sleep(pause, what);
      }
    }
  }

  /** Exponential with equal jitter: half the step fixed, half random, so that racing processes spread out. */
  long pause(int attempt) {
    long step = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(attempt - 1, 30));
    long half = step / 2;
    return half + ThreadLocalRandom.current().nextLong(step - half + 1);
  }


  private static void sleep(long ms, String what) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MigrationException("interrupted while " + what, e);
    }
  }
}
