package io.tradestore.housekeeping;

import io.tradestore.support.RunningEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HousekeepingTest {
  @TempDir Path dir;

  private static void placeOrders(RunningEngine running, int n) {
    for (int i = 0; i < n; i++) {
      running.engine.vertx().eventBus().request("trading.orders.place", new JsonObject().put("orderId", "o-" + i)
          .put("account", "desk").put("symbol", "SYM" + (i % 7)).put("side", "BUY").put("type", "LIMIT")
          .put("quantity", "1.5").put("price", "101.25")).await();
    }
  }

  private static List<String> dump(Path db) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String table : tables) {
        try (ResultSet rs = st.executeQuery("SELECT * FROM " + table + " ORDER BY 1")) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            StringBuilder row = new StringBuilder(table);
            for (int i = 1; i <= columns; i++) {
              row.append('|').append(rs.getString(i));
            }
            rows.add(row.toString());
          }
        }
      }
    }
    return rows;
  }

  private static void awaitOutboxSettled(Path db) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (true) {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT count(*) FROM outbox WHERE status <> 'PUBLISHED'")) {
        if (rs.getInt(1) == 0) {
          return;
        }
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("outbox never settled");
      }
      Thread.sleep(20);
    }
  }

  @Test
  void maintenanceCheckpointsTheWalToNothingAndGivesFreePagesBack() throws Exception {
    try (RunningEngine running = RunningEngine.start(dir, Map.of("retention.atStartup", false))) {
      Path db = running.config.database().path();
      Path wal = Path.of(db + "-wal");
      placeOrders(running, 300);
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
        try (ResultSet rs = st.executeQuery("PRAGMA auto_vacuum")) {
          assertEquals(2, rs.getInt(1), "the engine creates its database for incremental vacuum");
        }
        st.executeUpdate("DELETE FROM outbox"); // frees pages
      }
      assertTrue(Files.size(wal) > 0, "the WAL holds the recent writes");
      JsonObject result = running.engine.startup().housekeeping().runMaintenance().await(30, TimeUnit.SECONDS);
      assertFalse(result.getBoolean("checkpointBusy"), result.encode());
      assertEquals(0L, Files.size(wal), "TRUNCATE checkpoint: " + result.encode());
      assertTrue(result.getInteger("freedPages") > 0, result.encode());
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("PRAGMA freelist_count")) {
        assertEquals(0, rs.getInt(1));
      }
    }
  }

  @Test
  void aScheduledBackupRestoresToAnIdenticalDatabaseAndOnlyTheNewestAreKept() throws Exception {
    Path backups = dir.resolve("scheduled");
    try (RunningEngine running = RunningEngine.start(dir, Map.of("retention.atStartup", false,
        "backup.directory", backups.toString(), "backup.keep", 2))) {
      placeOrders(running, 50);
      awaitOutboxSettled(running.config.database().path()); // so the live data holds still while compared
      HousekeepingVerticle housekeeping = running.engine.startup().housekeeping();
      Path first = Path.of(housekeeping.runBackup().await(30, TimeUnit.SECONDS));
      List<String> live = dump(running.config.database().path());
      List<String> copy = dump(first);
      assertEquals(live.size(), copy.size(), "the copy holds exactly the live data");
      assertTrue(live.equals(copy), "the copy holds exactly the live data");
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + first); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
        assertEquals("ok", rs.getString(1));
      }
      housekeeping.runBackup().await(30, TimeUnit.SECONDS);
      Path third = Path.of(housekeeping.runBackup().await(30, TimeUnit.SECONDS));
      try (Stream<Path> files = Files.list(backups)) {
        List<Path> kept = files.sorted().toList();
        assertEquals(2, kept.size(), kept.toString());
        assertTrue(kept.contains(third));
        assertFalse(kept.contains(first), "the oldest scheduled backup was removed");
      }
      JsonObject last = housekeeping.lastRuns();
      assertEquals(third.toString(), last.getJsonObject("backup").getString("file"));
    }
  }
}
