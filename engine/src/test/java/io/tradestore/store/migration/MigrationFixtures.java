package io.tradestore.store.migration;

import io.tradestore.config.EngineConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Real databases and migration folders in a temporary directory; no mocks. */
final class MigrationFixtures {
  /** Small enough to keep busy tests short. */
  static final int BUSY_TIMEOUT_MS = 200;

  private MigrationFixtures() { }

  static EngineConfig.Database database(Path file) {
    return new EngineConfig.Database(file, BUSY_TIMEOUT_MS, EngineConfig.JournalMode.WAL, EngineConfig.Synchronous.NORMAL,
        2048, EngineConfig.TempStore.MEMORY, 0, 1000);
  }

  static EngineConfig.Migrations settings(Path dir, boolean backup, Path backupDir) {
    return new EngineConfig.Migrations(dir.toString(), true, backup, backupDir);
  }

  static MigrationRunner runner(Path dbFile, Path dir) {
    return new MigrationRunner(database(dbFile), settings(dir, false, dbFile.resolveSibling("backups")));
  }

  /** Fast retries, so that tests of the busy path stay short. */
  static MigrationRunner runner(Path dbFile, Path dir, int attempts) {
    return new MigrationRunner(database(dbFile), settings(dir, false, dbFile.resolveSibling("backups")), null,
        new BusyRetry(attempts, Duration.ofMillis(50), Duration.ofMillis(400)), java.time.Clock.systemUTC());
  }

  static String migration(String up, String down) {
    return "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n";
  }

  static Path write(Path dir, String fileName, String content) {
    try {
      Files.createDirectories(dir);
      return Files.writeString(dir.resolve(fileName), content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Connection connect(Path dbFile) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dbFile.toAbsolutePath());
  }

  static void execute(Path dbFile, String... sql) throws SQLException {
    try (Connection c = connect(dbFile); Statement st = c.createStatement()) {
      for (String s : sql) {
        st.executeUpdate(s);
      }
    }
  }

  static long scalar(Path dbFile, String sql) throws SQLException {
    try (Connection c = connect(dbFile); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  static List<String> rows(Path dbFile, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = connect(dbFile); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          row.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
        out.add(row.toString());
      }
    }
    return out;
  }

  /**
   * The schema byte for byte: every sqlite_master row (user objects and history table alike) plus the column,
   * index and foreign key lists of each table, and the header fields.
   */
  static List<String> schema(Path dbFile) throws SQLException {
    List<String> out = new ArrayList<>(rows(dbFile,
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"));
    for (String table : rows(dbFile, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
      out.addAll(rows(dbFile, "SELECT '" + table + "', * FROM pragma_table_xinfo('" + table + "')"));
      out.addAll(rows(dbFile, "SELECT '" + table + "', * FROM pragma_index_list('" + table + "') ORDER BY name"));
      out.addAll(rows(dbFile, "SELECT '" + table + "', * FROM pragma_foreign_key_list('" + table + "')"));
    }
    out.add("user_version=" + scalar(dbFile, "PRAGMA user_version"));
    return out;
  }

  /** The user schema only (no history table), for comparing with a fresh install. */
  static List<String> userSchema(Path dbFile) throws SQLException {
    return schema(dbFile).stream().filter(s -> !s.contains("schema_migrations")).toList();
  }

  static List<String> history(Path dbFile) throws SQLException {
    return rows(dbFile, "SELECT version, name, checksum, status FROM schema_migrations ORDER BY version");
  }
}
