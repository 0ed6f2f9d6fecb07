package io.tradestore.store.migration;

import io.tradestore.store.SqliteBusy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * How a migration file runs: in its own {@code BEGIN IMMEDIATE} transaction sent as SQL (the connection stays in
 * autocommit mode, because sqlite-jdbc in manual-commit mode takes the write lock again right after every commit),
 * one statement at a time so that a failure names its statement.
 */
final class MigrationTransactions {
  private static final Logger LOG = LoggerFactory.getLogger(MigrationTransactions.class);

  private MigrationTransactions() {
  }

  @FunctionalInterface
  interface Body {
    void run() throws SQLException;
  }

  /**
   * {@code BEGIN IMMEDIATE}, body, COMMIT; ROLLBACK on any failure. With {@code foreignKeysOff}, the pragma is
   * switched off before BEGIN (inside a transaction SQLite ignores it without an error), the commit requires an
   * empty {@code foreign_key_check}, and the pragma is back on afterwards whatever happened.
   */
  static void inTransaction(Connection c, boolean foreignKeysOff, Body body) throws SQLException {
    if (foreignKeysOff) {
      execute(c, "PRAGMA foreign_keys = OFF");
    }
    try {
      execute(c, "BEGIN IMMEDIATE");
      boolean committed = false;
      try {
        body.run();
        if (foreignKeysOff) {
          requireNoForeignKeyViolations(c);
        }
        execute(c, "COMMIT");
        committed = true;
      } finally {
        if (!committed) {
          rollbackQuietly(c);
        }
      }
    } finally {
      if (foreignKeysOff) {
        execute(c, "PRAGMA foreign_keys = ON");
        if (MigrationHistory.intPragma(c, "foreign_keys") != 1) {
          throw new MigrationException("could not switch foreign_keys back on after a foreign-keys-off migration");
        }
      }
    }
  }

  /**
   * One {@code executeUpdate} per statement: it reports the failing statement, where a whole script in one call
   * would not (and {@code execute} would silently run only the first statement).
   */
  static void runStatements(Connection c, MigrationFile file, String part, List<SqlStatement> statements)
      throws SQLException {
    for (SqlStatement s : statements) {
      try (Statement st = c.createStatement()) {
        st.executeUpdate(s.sql());
      } catch (SQLException e) {
        if (SqliteBusy.isBusy(e)) {
          throw e;
        }
        throw new MigrationException(file.fileName() + ": " + part + " statement " + s.number() + " (line " + s.line()
            + ") failed: " + e.getMessage() + "; the file was rolled back", e);
      }
    }
  }

  /** Microseconds on the monotonic clock since {@code startedNanos}, rounded. */
  static long microsSince(long startedNanos) {
    return (System.nanoTime() - startedNanos + 500) / 1_000;
  }

  private static void requireNoForeignKeyViolations(Connection c) throws SQLException {
    List<String> violations = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA foreign_key_check")) {
      while (rs.next() && violations.size() < 5) {
        violations.add(rs.getString(1) + " rowid " + rs.getString(2) + " references missing " + rs.getString(3));
      }
    }
    if (!violations.isEmpty()) {
      throw new MigrationException("foreign_key_check failed after the script, rolled back: " + String.join(", ", violations));
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.executeUpdate(sql);
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      execute(c, "ROLLBACK");
    } catch (SQLException e) {
      // SQLite may already have rolled back on its own (some I/O and busy errors do); nothing is left to undo.
      LOG.debug("rollback: {}", e.getMessage());
    }
  }
}
