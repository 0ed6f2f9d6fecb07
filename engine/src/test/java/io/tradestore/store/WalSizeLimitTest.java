package io.tradestore.store;

import io.tradestore.config.EngineConfig;
import io.tradestore.support.TestEngineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The -wal file goes back to its bound after a long read let it grow: it does not keep the disk it once took. */
class WalSizeLimitTest {
  @TempDir Path dir;

  @Test
  void aLogThatALongReadLetGrowIsCutBackToTheLimitOnceItRestarts() throws Exception {
    EngineConfig.Database db = TestEngineConfig.in(dir, Map.of("database.walAutocheckpointPages", 100)).database();
    Path wal = Path.of(db.path() + "-wal");
    long limit = SqliteConnections.walSizeLimitBytes(db);
    try (Connection writer = SqliteConnections.openDirect(db); Statement st = writer.createStatement()) {
      st.executeUpdate("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)");
      try (Connection reader = SqliteConnections.reader(db).getConnection(); Statement read = reader.createStatement()) {
        read.execute("BEGIN");
        try (ResultSet rs = read.executeQuery("SELECT count(*) FROM t")) { // holds its snapshot: the log cannot restart
          rs.next();
        }
        insert(writer, 2_000);
        read.execute("COMMIT");
      }
      long grown = Files.size(wal);
      assertTrue(grown > 4 * limit, "the log grew while the read held it: " + grown + " bytes, limit " + limit);

      insert(writer, 20); // the first commits after the read: a checkpoint copies everything, the log restarts
      assertTrue(Files.size(wal) <= limit, "cut back to " + limit + " bytes: " + Files.size(wal) + " (was " + grown + ")");
    }
  }

  /** One row of 4 KiB per transaction, as the writer's commits come. */
  private static void insert(Connection writer, int rows) throws Exception {
    try (PreparedStatement insert = writer.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
      for (int i = 0; i < rows; i++) {
        insert.setBytes(1, new byte[4096]);
        insert.executeUpdate();
      }
    }
  }
}
