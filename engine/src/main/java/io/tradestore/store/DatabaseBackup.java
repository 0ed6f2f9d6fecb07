package io.tradestore.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Online, consistent copies of a live database. {@code VACUUM INTO} reads one snapshot under a read lock, so it
 * includes what still sits in the WAL and never copies a half-written page, which a plain file copy of a WAL
 * database can do. The copy is compacted, in rollback-journal mode, and readable by its owner only.
 */
public final class DatabaseBackup {
  private DatabaseBackup() { }

  /**
   * Writes a copy of the database behind {@code connection} to {@code target}, which must not exist yet, and
   * checks that the copy passes {@code PRAGMA integrity_check}. Must not run inside a transaction of
   * {@code connection}; another connection may hold the write lock meanwhile (the copy is then exactly the
   * state that lock protects).
   */
  public static Path vacuumInto(Connection connection, Path target) throws SQLException {
    Path out = target.toAbsolutePath();
    if (Files.exists(out)) {
      throw new SQLException("backup target already exists: " + out);
    }
    SqliteFiles.createDirectory(out.getParent());
    // written under a temporary name and renamed once verified: a backup interrupted by a crash or a full disk
    // must never lie around under a name that looks like a good one
    Path partial = out.resolveSibling(out.getFileName() + ".partial");
    deleteQuietly(partial);
    // VACUUM INTO accepts an empty existing file; creating it first makes it owner-only from the start.
    SqliteFiles.createEmptyFile(partial);
    boolean done = false;
    try {
      try (PreparedStatement ps = connection.prepareStatement("VACUUM INTO ?")) {
        ps.setString(1, partial.toString());
        ps.executeUpdate();
      }
      verify(partial);
      Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
      done = true;
      return out;
    } catch (IOException e) {
      throw new SQLException("cannot move the verified backup into place at " + out + ": " + e.getMessage(), e);
    } finally {
      if (!done) {
        deleteQuietly(partial);
      }
    }
  }

  /** Opens the copy on its own and runs {@code PRAGMA integrity_check}; throws unless it answers {@code ok}. */
  public static void verify(Path copy) throws SQLException {
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + copy.toAbsolutePath());
         Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
      String result = rs.next() ? rs.getString(1) : "no answer";
      if (!"ok".equals(result)) {
        throw new SQLException("backup " + copy + " fails integrity_check: " + result);
      }
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
