package io.tradestore.store.migration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code migrate up}: validates, then applies every pending file up to a target version, each in its own
 * transaction, after a backup when the database holds data. Running it again does nothing.
 *
 * <p>Several processes may run it at once: inside each file's transaction, under the write lock, the history is
 * read again and the file applied only if still absent; its history row and {@code user_version} are written in
 * the same transaction, so a file is either applied and recorded or neither.
 */
final class MigrateUp {
  private static final Logger LOG = LoggerFactory.getLogger(MigrateUp.class);

  private final MigrationContext context;

  MigrateUp(MigrationContext context) {
    this.context = context;
  }

  /** @param targetVersion the version to stop at, or null for all files */
  MigrationReport run(Integer targetVersion) {
    List<MigrationFile> files = context.resolveAndLint();
    int target = checkTarget(targetVersion, files);
    try (Connection c = context.open()) {
      DatabaseState state = context.readState(c);
      context.validate(files, state, false);
      int from = state.currentVersion();
      if (from > target) {
        throw new MigrationException("the database is at version " + from + ", above the target " + target
            + "; use migrate down to go back");
      }
      if (!state.hasHistory()) {
        MigrationAdoption adoption = new MigrationAdoption(context);
        context.retrying("creating the migration history", () -> adoption.createOrAdoptHistory(c, files));
        state = context.readState(c);
      }
      MigrationRun run = new MigrationRun();
      try {
        // Only files pending now take the write lock; one applied meanwhile by another process is skipped inside.
        for (MigrationFile file : pending(files, state, target)) {
          context.retrying("applying " + file.fileName(), () -> apply(c, files, file, run));
        }
      } catch (RuntimeException e) {
        throw run.stoppedAt(e, c, from, run.nothingApplied() ? from : run.last().version());
      }
      int to = MigrationHistory.maxVersion(MigrationHistory.read(c));
      if (run.nothingApplied()) {
        LOG.info("{}database {} is up to date at version {}", context.logPrefix(), context.db().path(), to);
      }
      return run.report(from, to);
    } catch (SQLException e) {
      throw new MigrationException("migrating " + context.db().path() + " failed: " + e.getMessage(), e);
    }
  }

  /** The files a run up to {@code target} would apply to a database in {@code state}, by version. */
  static List<MigrationFile> pending(List<MigrationFile> files, DatabaseState state, int target) {
    return files.stream()
        .filter(f -> f.version() <= target)
        .filter(f -> state.isLegacy() ? f.version() > state.legacyVersion()
            : state.history().stream().noneMatch(r -> r.version() == f.version()))
        .toList();
  }

  private int checkTarget(Integer targetVersion, List<MigrationFile> files) {
    if (targetVersion == null) {
      return Integer.MAX_VALUE;
    }
    if (files.stream().noneMatch(f -> f.version() == targetVersion)) {
      throw new MigrationException("no migration file has the target version " + targetVersion + " in "
          + context.location());
    }
    return targetVersion;
  }

  private Void apply(Connection c, List<MigrationFile> files, MigrationFile file, MigrationRun run) throws SQLException {
    MigrationTransactions.inTransaction(c, file.foreignKeysOff(), () -> {
      DatabaseState state = DatabaseState.read(c);
      context.validate(files, state, false);
      if (state.history().stream().anyMatch(r -> r.version() == file.version())) {
        return; // another process applied it while we waited for the lock
      }
      run.backupIfWanted(context, state);
      LOG.debug("applying {}", file.fileName());
      long started = System.nanoTime();
      MigrationTransactions.runStatements(c, file, "up", file.up());
      MigrationReport.Applied applied =
          new MigrationReport.Applied(file.version(), file.name(), MigrationTransactions.microsSince(started));
      MigrationHistory.insert(c, new HistoryRow(file.version(), file.name(), file.description(), context.now(),
          MigrationContext.appliedBy(), applied.durationMs(), file.checksum(), HistoryRow.SUCCESS));
      MigrationHistory.mirrorUserVersion(c);
      run.add(applied);
    });
    MigrationReport.Applied last = run.last();
    if (last != null && last.version() == file.version()) {
      LOG.info("{}applied {} in {} ms", context.logPrefix(), file.fileName(), MigrationReport.millis(last.durationMs()));
    }
    return null;
  }
}
