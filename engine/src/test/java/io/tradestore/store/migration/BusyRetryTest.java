package io.tradestore.store.migration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.tradestore.store.migration.MigrationFixtures.connect;
import static io.tradestore.store.migration.MigrationFixtures.migration;
import static io.tradestore.store.migration.MigrationFixtures.runner;
import static io.tradestore.store.migration.MigrationFixtures.scalar;
import static io.tradestore.store.migration.MigrationFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BusyRetryTest {
  @TempDir
  Path tmp;

  private Future<?> holdWriteLock(Path db, long millis, CountDownLatch held) {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Future<?> f = pool.submit(() -> {
      try (Connection c = connect(db); Statement st = c.createStatement()) {
        st.executeUpdate("BEGIN IMMEDIATE");
        held.countDown();
        Thread.sleep(millis);
        st.executeUpdate("COMMIT");
      }
      return null;
    });
    pool.shutdown();
    return f;
  }

  @Test
  void writeLockHeldForASecondIsWaitedOut() throws Exception {
    Path db = tmp.resolve("busy.db");
    write(tmp.resolve("m"), "001_a.sql", migration("CREATE TABLE a(x);", ""));
    runner(db, tmp.resolve("m")).migrate();
    write(tmp.resolve("m"), "002_b.sql", migration("CREATE TABLE b(x);", ""));
    CountDownLatch held = new CountDownLatch(1);
    Future<?> holder = holdWriteLock(db, 1000, held);
    assertTrue(held.await(5, TimeUnit.SECONDS));
    MigrationReport report = runner(db, tmp.resolve("m")).migrate();
    assertEquals(1, report.applied().size());
    holder.get(5, TimeUnit.SECONDS);
  }

  @Test
  void writeLockHeldBeyondTheRetryBudgetFailsNamingAttemptsAndWait() throws Exception {
    Path db = tmp.resolve("busy.db");
    write(tmp.resolve("m"), "001_a.sql", migration("CREATE TABLE a(x);", ""));
    runner(db, tmp.resolve("m")).migrate();
    write(tmp.resolve("m"), "002_b.sql", migration("CREATE TABLE b(x);", ""));
    CountDownLatch held = new CountDownLatch(1);
    Future<?> holder = holdWriteLock(db, 2500, held);
    assertTrue(held.await(5, TimeUnit.SECONDS));
    long started = System.nanoTime();
    MigrationException e = assertThrows(MigrationException.class, () -> runner(db, tmp.resolve("m"), 3).migrate());
    long ms = (System.nanoTime() - started) / 1_000_000;
    assertTrue(e.getMessage().contains("database is busy: gave up applying 002_b.sql after 3 attempts"), e.getMessage());
    assertTrue(e.getMessage().matches(".*after 3 attempts and \\d+ ms of waiting in total.*"), e.getMessage());
    assertTrue(ms < 2500, "gave up within the budget, took " + ms + " ms");
    holder.get(5, TimeUnit.SECONDS);
    assertEquals(1, scalar(db, "PRAGMA user_version"));
  }

  @Test
  void aBusySnapshotRestartsTheWholeTransactionAndOtherErrorsAreAttemptedOnce() {
    BusyRetry retry = new BusyRetry(5, java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(2));
    int[] attempts = {0};
    String result = retry.run("test work", 100, () -> {
      if (++attempts[0] < 3) {
        throw new SQLiteException("snapshot", SQLiteErrorCode.SQLITE_BUSY_SNAPSHOT);
      }
      return "done";
    });
    assertEquals("done", result);
    assertEquals(3, attempts[0]);

    attempts[0] = 0;
    MigrationException e = assertThrows(MigrationException.class, () -> retry.run("test work", 100, () -> {
      attempts[0]++;
      throw new SQLiteException("UNIQUE constraint failed", SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE);
    }));
    assertEquals(1, attempts[0]);
    assertTrue(e.getMessage().contains("UNIQUE constraint failed"));
  }

  @Test
  void constraintErrorInAMigrationIsAttemptedOnceAndNotReportedAsBusy() throws Exception {
    Path db = tmp.resolve("c.db");
    write(tmp.resolve("m"), "001_a.sql", migration("CREATE TABLE a(x UNIQUE);\nINSERT INTO a VALUES (1);\nINSERT INTO a VALUES (1);", ""));
    MigrationException e = assertThrows(MigrationException.class, () -> runner(db, tmp.resolve("m")).migrate());
    assertTrue(e.getMessage().contains("001_a.sql: up statement 3 (line 4) failed") && e.getMessage().contains("UNIQUE"), e.getMessage());
    assertFalse(e.getMessage().contains("attempts"));
  }
}
