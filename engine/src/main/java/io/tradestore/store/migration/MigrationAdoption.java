package io.tradestore.store.migration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

/**
 * Gives a database its history table: creates an empty one, or adopts a database that an earlier runner (a
 * {@code schema_version} table) brought to version N by recording files 1..N as BASELINE, but only after proving
 * that its schema is the one those files build. Adopting a database that merely claims version N would make every
 * later migration run against a schema nobody checked. The legacy table and its rows stay.
 */
final class MigrationAdoption {
  private static final Logger LOG = LoggerFactory.getLogger(MigrationAdoption.class);

  private final MigrationContext context;

  MigrationAdoption(MigrationContext context) {
    this.context = context;
  }

  /** Under the write lock: the history table appears exactly once, or a legacy database is adopted. */
  Void createOrAdoptHistory(Connection c, List<MigrationFile> files) throws SQLException {
    MigrationTransactions.inTransaction(c, false, () -> {
      DatabaseState state = DatabaseState.read(c);
      if (state.hasHistory()) {
        return; // another process was first
      }
      String foreign = state.foreignDatabaseProblem();
      if (foreign != null) {
        throw new MigrationException(foreign);
      }
      if (state.isLegacy()) {
        adopt(c, files, state.legacyVersion());
      } else {
        MigrationHistory.create(c);
      }
    });
    return null;
  }

  /** The files a legacy database at {@code legacyVersion} would record as BASELINE; throws when its schema differs. */
  List<MigrationFile> checkAdoptable(Connection c, List<MigrationFile> files, int legacyVersion) throws SQLException {
    List<MigrationFile> baseline = files.stream().filter(f -> f.version() <= legacyVersion).toList();
    SchemaFingerprint actual = SchemaFingerprint.of(c);
    SchemaFingerprint expected = scratchFingerprint(baseline);
    String difference = actual.differenceFrom(expected, "the database", "files 1.." + legacyVersion);
    if (!difference.isEmpty()) {
      throw new MigrationException("cannot adopt the legacy database at schema_version " + legacyVersion
          + ": its schema is not the one files 1.." + legacyVersion + " build; " + difference);
    }
    return baseline;
  }

  private void adopt(Connection c, List<MigrationFile> files, int legacyVersion) throws SQLException {
    List<MigrationFile> baseline = checkAdoptable(c, files, legacyVersion);
    MigrationHistory.create(c);
    String now = context.now();
    for (MigrationFile f : baseline) {
      MigrationHistory.insert(c, new HistoryRow(f.version(), f.name(), f.description(), now,
          MigrationContext.appliedBy(), null, f.checksum(), HistoryRow.BASELINE));
    }
    MigrationHistory.mirrorUserVersion(c);
    LOG.info("adopted legacy database {} at version {}: recorded {} file(s) as BASELINE", context.db().path(),
        legacyVersion, baseline.size());
  }

  /** The schema the files build, on an empty in-memory database. */
  private static SchemaFingerprint scratchFingerprint(List<MigrationFile> files) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.enforceForeignKeys(true);
    try (Connection scratch = DriverManager.getConnection("jdbc:sqlite::memory:", config.toProperties())) {
      for (MigrationFile f : files) {
        try {
          MigrationTransactions.inTransaction(scratch, f.foreignKeysOff(),
              () -> MigrationTransactions.runStatements(scratch, f, "up", f.up()));
        } catch (MigrationException e) {
          throw new MigrationException("building the expected schema on a scratch database: " + e.getMessage(), e);
        }
      }
      return SchemaFingerprint.of(scratch);
    }
  }
}
