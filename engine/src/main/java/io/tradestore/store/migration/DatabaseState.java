package io.tradestore.store.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What the runner needs to know about a database before deciding anything.
 *
 * @param hasHistory    {@code schema_migrations} exists
 * @param legacyVersion max(version) of a legacy {@code schema_version} table when there is one and no history
 *                      table yet (the database still has to be adopted); null otherwise
 * @param userTables    tables other than SQLite's own and the two history tables
 */
record DatabaseState(boolean hasHistory, Integer legacyVersion, List<HistoryRow> history, int userVersion,
                     int applicationId, int userTables) {
  static final DatabaseState EMPTY = new DatabaseState(false, null, List.of(), 0, 0, 0);

  /**
   * Reads everything from one snapshot: another process may be migrating meanwhile, and history and
   * user_version read a moment apart would disagree. A savepoint starts a read transaction when none is open
   * and nests inside the caller's when one is.
   */
  static DatabaseState read(Connection c) throws SQLException {
    try (java.sql.Statement st = c.createStatement()) {
      st.executeUpdate("SAVEPOINT read_state");
      try {
        return readInSnapshot(c);
      } finally {
        st.executeUpdate("RELEASE read_state");
      }
    }
  }

  private static DatabaseState readInSnapshot(Connection c) throws SQLException {
    boolean hasHistory = MigrationHistory.exists(c);
    Integer legacy = !hasHistory && MigrationHistory.tableExists(c, MigrationHistory.LEGACY_TABLE)
        ? MigrationHistory.legacyVersion(c) : null;
    int tables = MigrationHistory.userTableCount(c) - (hasHistory ? 1 : 0)
        - (MigrationHistory.tableExists(c, MigrationHistory.LEGACY_TABLE) ? 1 : 0);
    return new DatabaseState(hasHistory, legacy, MigrationHistory.read(c), MigrationHistory.intPragma(c, "user_version"),
        MigrationHistory.intPragma(c, "application_id"), tables);
  }

  int appliedVersion() {
    return MigrationHistory.maxVersion(history);
  }

  /** The version the schema is at: the history's, or the legacy table's before adoption. */
  int currentVersion() {
    return legacyVersion != null ? legacyVersion : appliedVersion();
  }

  boolean isLegacy() {
    return legacyVersion != null;
  }

  /** Holds data worth a backup: anything applied, or any table at all. */
  boolean isNonEmpty() {
    return !history.isEmpty() || userTables > 0;
  }

  /** Problems that do not depend on the files: someone else's database, or tables with no history to explain them. */
  String foreignDatabaseProblem() {
    if (applicationId != 0 && applicationId != MigrationHistory.APPLICATION_ID) {
      return String.format("not a tradestore database: PRAGMA application_id is 0x%08X (tradestore uses 0x%08X)",
          applicationId, MigrationHistory.APPLICATION_ID);
    }
    if (!hasHistory && legacyVersion == null && userTables > 0) {
      return "the database has " + userTables + " table(s) but neither a schema_migrations nor a legacy schema_version "
          + "table, so nobody knows which migrations built it; refusing to migrate it";
    }
    return null;
  }
}
