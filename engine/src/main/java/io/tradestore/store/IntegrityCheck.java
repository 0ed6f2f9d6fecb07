package io.tradestore.store;

import io.tradestore.config.EngineConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The startup check that refuses to run on a damaged database file rather than make the damage worse. */
public final class IntegrityCheck {
  private IntegrityCheck() { }

  /** Throws {@link IllegalStateException} with SQLite's findings when the check does not answer {@code ok}. */
  public static void run(EngineConfig.Database db, EngineConfig.IntegrityCheck mode) {
    Path file = db.path();
    if (mode == EngineConfig.IntegrityCheck.OFF || !Files.exists(file)) {
      return;
    }
    String pragma = mode == EngineConfig.IntegrityCheck.FULL ? "integrity_check" : "quick_check";
    List<String> findings = new ArrayList<>();
    try (Connection c = SqliteConnections.reader(db).getConnection();
         Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("PRAGMA " + pragma + "(20)")) {
      while (rs.next()) {
        findings.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("database " + file + " cannot be checked (" + e.getMessage()
          + "); it is damaged or not a tradestore database: restore it from a backup (docs/operations.md)", e);
    }
    if (!findings.equals(List.of("ok"))) {
      throw new IllegalStateException("database " + file + " fails PRAGMA " + pragma + ": " + String.join("; ", findings)
          + "; restore it from a backup (docs/operations.md)");
    }
  }
}
