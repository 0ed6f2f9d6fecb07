package io.tradestore.store.migration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code migrate down}: runs the down parts of the last applied files, newest first, each in its own transaction
 * with the removal of its history row. Refuses before anything runs if one of them has no down part or is a
 * baseline (adopted, never run by this runner, so its down part was never tested against this database).
 */
final class MigrateDown {
  private static final Logger LOG = LoggerFactory.getLogger(MigrateDown.class);

  private final MigrationContext context;

  MigrateDown(MigrationContext context) {
    this.context = context;
  }

  MigrationReport run(int steps) {
    if (steps < 1) {
      throw new MigrationException("down needs a number of steps of at least 1, not " + steps);
    }
    List<MigrationFile> files = context.resolveAndLint();
    try (Connection c = context.open()) {
      DatabaseState state = context.readState(c);
      context.validate(files, state, false);
      if (state.isLegacy()) {
        throw new MigrationException("the database has not been adopted yet (legacy schema_version); run migrate up first");
      }
      List<HistoryRow> newestFirst = state.history().stream()
          .sorted(Comparator.comparingInt(HistoryRow::version).reversed()).toList();
      if (newestFirst.size() < steps) {
        throw new MigrationException("cannot roll back " + steps + " migration(s): only " + newestFirst.size() + " applied");
      }
      List<MigrationFile> toRollBack = filesToRollBack(files, newestFirst.subList(0, steps));
      int from = state.appliedVersion();
      MigrationRun run = new MigrationRun();
      try {
        for (MigrationFile file : toRollBack) {
          context.retrying("rolling back " + file.fileName(), () -> rollBack(c, files, file, run));
        }
      } catch (RuntimeException e) {
        int rolledBack = run.appliedCount();
        throw run.stoppedAt(e, c, from, rolledBack < newestFirst.size() ? newestFirst.get(rolledBack).version() : 0);
      }
      return run.report(from, MigrationHistory.maxVersion(MigrationHistory.read(c)));
    } catch (SQLException e) {
      throw new MigrationException("rolling back " + context.db().path() + " failed: " + e.getMessage(), e);
    }
  }

  /** The files of {@code rows}, in the same order; refuses a baseline row or a file without a down part. */
  private static List<MigrationFile> filesToRollBack(List<MigrationFile> files, List<HistoryRow> rows) {
    Map<Integer, MigrationFile> byVersion = new HashMap<>();
    files.forEach(f -> byVersion.put(f.version(), f));
    List<MigrationFile> toRollBack = new ArrayList<>();
    List<String> withoutDown = new ArrayList<>();
    for (HistoryRow row : rows) {
      if (row.isBaseline()) {
        throw new MigrationException("cannot roll back version " + row.version() + " (" + row.name() + "): it is a "
            + "BASELINE, adopted from a legacy database, and the runner never goes below its baseline; nothing was "
            + "rolled back");
      }
      MigrationFile file = byVersion.get(row.version());
      if (!file.hasDown()) {
        withoutDown.add(file.fileName());
      }
      toRollBack.add(file);
    }
    if (!withoutDown.isEmpty()) {
      throw new MigrationException("cannot roll back: " + String.join(", ", withoutDown)
          + " has an empty down part; nothing was rolled back");
    }
    return toRollBack;
  }

  private Void rollBack(Connection c, List<MigrationFile> files, MigrationFile file, MigrationRun run)
      throws SQLException {
    MigrationTransactions.inTransaction(c, file.foreignKeysOff(), () -> {
      DatabaseState state = DatabaseState.read(c);
      context.validate(files, state, false);
      if (state.appliedVersion() != file.version()) {
        throw new MigrationException("the history changed while rolling back: expected version " + file.version()
            + " on top, found " + state.appliedVersion() + "; another process is migrating this database");
      }
      run.backupIfWanted(context, state);
      long started = System.nanoTime();
      MigrationTransactions.runStatements(c, file, "down", file.down());
      long micros = MigrationTransactions.microsSince(started);
      MigrationHistory.delete(c, file.version());
      MigrationHistory.mirrorUserVersion(c);
      run.add(new MigrationReport.Applied(file.version(), file.name(), micros));
    });
    LOG.info("{}rolled back {} in {} ms", context.logPrefix(), file.fileName(),
        MigrationReport.millis(run.last().durationMs()));
    return null;
  }
}
