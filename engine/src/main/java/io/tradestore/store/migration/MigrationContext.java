package io.tradestore.store.migration;

import io.tradestore.config.EngineConfig;
import io.tradestore.store.SqliteConnections;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What every verb works on: one database, its settings, the files, the busy retry and the clock, and the steps
 * they all take the same way (resolve and lint, validate, open, read the state).
 *
 * @param logPrefix "" for a real run; "dry run: " on the scratch copy, so that its log lines are not read as real
 *                  changes
 */
record MigrationContext(EngineConfig.Database db, EngineConfig.Migrations settings, MigrationResolver resolver,
                        BusyRetry retry, Clock clock, String logPrefix) {

  String location() {
    return resolver.location();
  }

  /** The same files, retry and clock on another database: the dry run's scratch copy. */
  MigrationContext on(Path database, EngineConfig.Migrations otherSettings, String otherLogPrefix) {
    return new MigrationContext(db.withPath(database), otherSettings, resolver, retry, clock, otherLogPrefix);
  }

  List<MigrationFile> resolveAndLint() {
    List<MigrationFile> files = resolver.resolve();
    MigrationLint.check(files);
    return files;
  }

  /** The files against the history; {@code listAll} names every problem instead of stopping at the first. */
  void validate(List<MigrationFile> files, DatabaseState state, boolean listAll) {
    String foreign = state.foreignDatabaseProblem();
    if (foreign != null) {
      throw new MigrationException(foreign);
    }
    MigrationValidator.validate(files, state.history(), state.hasHistory() ? state.userVersion() : null, location(), listAll);
    if (state.isLegacy()) {
      int newestFile = files.stream().mapToInt(MigrationFile::version).max().orElse(0);
      if (state.legacyVersion() > newestFile) {
        throw new MigrationException("the legacy schema_version table says version " + state.legacyVersion()
            + " but the newest file in " + location() + " has version " + newestFile
            + ": this build is older than the database");
      }
    }
  }

  /** Runs {@code work} under the busy retry with the database's busy timeout. */
  <T> T retrying(String what, BusyRetry.Work<T> work) {
    return retry.run(what, db.busyTimeoutMs(), work);
  }

  Connection open() {
    // Opening sets journal_mode, which can meet another process converting a fresh file to WAL: retry as busy.
    return retrying("opening " + db.path(), () -> SqliteConnections.openDirect(db));
  }

  Connection openReadOnly() throws SQLException {
    return SqliteConnections.reader(db).getConnection();
  }

  DatabaseState readState(Connection c) {
    return retrying("reading the migration history", () -> DatabaseState.read(c));
  }

  /** Read-only, so that status and checks neither create a missing database nor change a present one. */
  DatabaseState readStateReadOnly() {
    if (!Files.exists(db.path())) {
      return DatabaseState.EMPTY;
    }
    return retrying("reading the migration history", () -> {
      try (Connection c = openReadOnly()) {
        return DatabaseState.read(c);
      }
    });
  }

  /** The time a history row records, to the millisecond. */
  String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.MILLIS).toString();
  }

  /** Who a history row says applied it. */
  static String appliedBy() {
    return System.getProperty("user.name", "unknown") + " (pid " + ProcessHandle.current().pid() + ")";
  }
}
