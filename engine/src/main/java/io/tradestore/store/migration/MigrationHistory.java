package io.tradestore.store.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code schema_migrations} table and the two header fields that mirror it. {@code duration_ms} holds
 * milliseconds with the microseconds as fraction. Tables created before that declare it INTEGER, and need no
 * change: INTEGER affinity stores a value with a fraction as the REAL it is (only a whole number becomes an
 * integer), and rows read back with {@code getDouble} either way; older builds read the new rows as whole
 * milliseconds. The table is the truth;
 * {@code PRAGMA user_version} mirrors its max version (free to read, transactional, survives {@code VACUUM INTO})
 * and {@code PRAGMA application_id} marks the file as a tradestore database.
 */
final class MigrationHistory {
  static final String TABLE = "schema_migrations";
  static final String LEGACY_TABLE = "schema_version";
  /** 'TRDS'. */
  static final int APPLICATION_ID = 0x54524453;

  private static final String CREATE_TABLE = """
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version     INTEGER PRIMARY KEY,
        name        TEXT    NOT NULL,
        description TEXT,
        applied_at  TEXT    NOT NULL,
        applied_by  TEXT,
        duration_ms REAL,
        checksum    TEXT    NOT NULL,
        status      TEXT    NOT NULL CHECK (status IN ('SUCCESS', 'BASELINE'))
      )""";

  private static final String SELECT_ALL = """
      SELECT version, name, description, applied_at, applied_by, duration_ms, checksum, status
        FROM schema_migrations
       ORDER BY version""";

  private static final String INSERT = """
      INSERT INTO schema_migrations (version, name, description, applied_at, applied_by, duration_ms, checksum, status)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";

  private static final String USER_TABLE_COUNT = """
      SELECT count(*) FROM sqlite_master
       WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'""";

  private MigrationHistory() { }

  static boolean exists(Connection c) throws SQLException {
    return tableExists(c, TABLE);
  }

  static boolean tableExists(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  static void create(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.executeUpdate(CREATE_TABLE);
      st.executeUpdate("PRAGMA application_id = " + APPLICATION_ID);
    }
  }

  /** All rows by version; empty when the table does not exist yet. */
  static List<HistoryRow> read(Connection c) throws SQLException {
    List<HistoryRow> rows = new ArrayList<>();
    if (!exists(c)) {
      return rows;
    }
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(SELECT_ALL)) {
      while (rs.next()) {
        double duration = rs.getDouble(6);
        Double durationMs = rs.wasNull() ? null : duration; // asked right after column 6, whose NULL it reports
        rows.add(new HistoryRow(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            durationMs, rs.getString(7), rs.getString(8)));
      }
    }
    return rows;
  }

  static void insert(Connection c, HistoryRow row) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      ps.setInt(1, row.version());
      ps.setString(2, row.name());
      ps.setString(3, row.description());
      ps.setString(4, row.appliedAt());
      ps.setString(5, row.appliedBy());
      if (row.durationMs() == null) {
        ps.setNull(6, java.sql.Types.REAL);
      } else {
        ps.setDouble(6, row.durationMs());
      }
      ps.setString(7, row.checksum());
      ps.setString(8, row.status());
      ps.executeUpdate();
    }
  }

  static void delete(Connection c, int version) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM schema_migrations WHERE version = ?")) {
      ps.setInt(1, version);
      ps.executeUpdate();
    }
  }

  /** Sets {@code user_version} to the table's max version; call inside the transaction that changed the table. */
  static void mirrorUserVersion(Connection c) throws SQLException {
    int max = maxVersion(read(c));
    try (Statement st = c.createStatement()) {
      st.executeUpdate("PRAGMA user_version = " + max);
    }
  }

  static int maxVersion(List<HistoryRow> rows) {
    return rows.stream().mapToInt(HistoryRow::version).max().orElse(0);
  }

  static int intPragma(Connection c, String pragma) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + pragma)) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  static int userTableCount(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(USER_TABLE_COUNT)) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /** max(version) of the legacy {@code schema_version} table; 0 when it is empty. */
  static int legacyVersion(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }
}
