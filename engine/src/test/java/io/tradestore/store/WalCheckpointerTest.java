package io.tradestore.store;

import io.tradestore.config.EngineConfig;
import io.tradestore.support.TestEngineConfig;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class WalCheckpointerTest {
  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void committedPagesReachTheDatabaseFileWithoutTheWritersHelp() throws Exception {
    EngineConfig.Database db = database(10);
    try (Connection writer = writerWithAFullLog(db); Statement st = writer.createStatement()) {
      long before = Files.size(db.path());
      assertTrue(Files.size(Path.of(db.path() + "-wal")) > 2_000_000, "the rows are in the log");

      WalCheckpointer checkpointer = WalCheckpointer.start(vertx, db);
      assertNotNull(checkpointer);
      await("the log copied into the database file", () -> sizeOf(db.path()) > before + 2_000_000);
      await("nothing left to copy", () -> checkpointer.checkpoints() > 0 && checkpointer.uncopiedPages() == 0);
      checkpointer.close().await();
    }
  }

  @Test
  void checkpointsGoOnWhileTheWriterHoldsTheWriteLock() throws Exception {
    EngineConfig.Database db = database(10);
    try (Connection writer = writerWithAFullLog(db); Statement st = writer.createStatement()) {
      WalCheckpointer checkpointer = WalCheckpointer.start(vertx, db);
      await("a first checkpoint", () -> checkpointer.checkpoints() > 0);

      st.execute("BEGIN IMMEDIATE"); // the write lock, held the way the writer holds it during a transaction
      st.executeUpdate("INSERT INTO t (v) VALUES ('during')");
      long during = checkpointer.checkpoints();
      Thread.sleep(300);
      assertTrue(checkpointer.checkpoints() >= during + 5,
          "a PASSIVE checkpoint neither takes nor waits for the write lock: " + (checkpointer.checkpoints() - during) + " in 300 ms");
      st.execute("COMMIT");
      checkpointer.close().await();
    }
  }

  @Test
  void pastMostOfTheWritersLogLimitTheCheckpointerChasesTheLogUntilItRestartsThenRests() throws Exception {
    // a pass a second, the writer's limit at its minimum (100 pages), and a writer that never checkpoints itself:
    // only a background pass that copies the whole log between two commits lets the log restart
    EngineConfig.Database db = TestEngineConfig.in(dir, Map.of("database.checkpointIntervalMs", 1_000,
        "database.walAutocheckpointPages", 100)).database();
    try (Connection writer = writerWithAFullLog(db); Statement st = writer.createStatement()) {
      WalCheckpointer checkpointer = WalCheckpointer.start(vertx, db);
      boolean restarted = false;
      long firstPassSeen = 0;
      long deadline = System.nanoTime() + 10_000_000_000L;
      // a commit every millisecond or so, as under load, until the log restarts or 0.6 s after the first pass (the
      // next pass a second later would come too late)
      while (!restarted && System.nanoTime() < deadline
          && (firstPassSeen == 0 || System.nanoTime() - firstPassSeen < 600_000_000L)) {
        st.executeUpdate("INSERT INTO t (v) VALUES ('" + "x".repeat(4_000) + "')");
        if (firstPassSeen == 0 && checkpointer.checkpoints() > 0) {
          firstPassSeen = System.nanoTime();
        }
        restarted = checkpointer.checkpoints() > 1 && checkpointer.logPages() < 100;
        Thread.sleep(1);
      }
      assertTrue(restarted, "passes " + WalCheckpointer.CHASE_INTERVAL_MS + " ms apart caught the log up between two "
          + "commits within 0.6 s of the first: " + checkpointer.checkpoints() + " passes, log " + checkpointer.logPages());

      // the writer idle: the next pass copies the rest, a few more find nothing to copy and end the chase
      Thread.sleep(600);
      long settled = checkpointer.checkpoints();
      Thread.sleep(900);
      assertTrue(checkpointer.checkpoints() <= settled + 1,
          "back to one pass per interval: " + (checkpointer.checkpoints() - settled) + " in 900 ms");
      checkpointer.close().await();
    }
  }

  @Test
  void whilePausedNoCheckpointRunsSoATruncateIsNeverTurnedAwayBusy() throws Exception {
    EngineConfig.Database db = database(1);
    try (Connection writer = writerWithAFullLog(db); Statement st = writer.createStatement()) {
      WalCheckpointer checkpointer = WalCheckpointer.start(vertx, db);
      for (int round = 0; round < 20; round++) {
        st.executeUpdate("INSERT INTO t (v) VALUES ('" + "x".repeat(20_000) + "')"); // something to copy
        await("a checkpoint", () -> checkpointer.checkpoints() > 0);
        checkpointer.pause().await();
        long during = checkpointer.checkpoints();
        try (java.sql.ResultSet r = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
          r.next();
          assertEquals(0, r.getInt(1), "round " + round + ": the checkpoint lock was free");
        }
        assertEquals(during, checkpointer.checkpoints(), "no checkpoint while paused");
        checkpointer.resume();
      }
      long resumed = checkpointer.checkpoints();
      await("checkpoints again after resume", () -> checkpointer.checkpoints() > resumed);
      checkpointer.close().await();
    }
  }

  @Test
  void offWhenTheIntervalIsZeroOrTheJournalIsNotWal() {
    assertNull(WalCheckpointer.start(vertx, database(0)));
    EngineConfig.Database rollback = TestEngineConfig.in(dir, Map.of("database.journalMode", "DELETE",
        "database.checkpointIntervalMs", 10)).database();
    assertNull(WalCheckpointer.start(vertx, rollback));
  }

  private EngineConfig.Database database(int intervalMs) {
    EngineConfig.Database db = TestEngineConfig.in(dir, Map.of("database.checkpointIntervalMs", intervalMs)).database();
    assertEquals(EngineConfig.JournalMode.WAL, db.journalMode());
    return db;
  }

  /**
   * A writer whose commits never checkpoint, holding about 3 MiB of rows in the log; kept open by the caller, since
   * closing the last connection would checkpoint by itself.
   */
  private static Connection writerWithAFullLog(EngineConfig.Database db) throws Exception {
    Connection writer = SqliteConnections.openDirect(db);
    try (Statement st = writer.createStatement()) {
      st.execute("PRAGMA wal_autocheckpoint = 0");
      writeAbout3MiB(writer, st);
    }
    return writer;
  }

  private static void writeAbout3MiB(Connection writer, Statement st) throws Exception {
    st.executeUpdate("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
    st.execute("BEGIN IMMEDIATE");
    try (PreparedStatement insert = writer.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
      for (int i = 0; i < 3_000; i++) {
        insert.setString(1, ("row " + i + " ").repeat(100));
        insert.addBatch();
      }
      insert.executeBatch();
    }
    st.execute("COMMIT");
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        fail("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }
}
