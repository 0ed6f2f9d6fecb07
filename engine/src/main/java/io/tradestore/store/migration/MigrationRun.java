package io.tradestore.store.migration;

import io.tradestore.config.EngineConfig;
import io.tradestore.store.DatabaseBackup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * What one {@code up} or {@code down} call has done so far: the files committed and the backup taken. It
 * survives the retries of a transaction, so a retried file neither counts twice nor backs up twice.
 */
final class MigrationRun {
  private static final Logger LOG = LoggerFactory.getLogger(MigrationRun.class);
  private static final DateTimeFormatter BACKUP_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final List<MigrationReport.Applied> applied = new ArrayList<>();
  private Path backup;
  private boolean backupConsidered;

  void add(MigrationReport.Applied file) {
    applied.add(file);
  }

  boolean nothingApplied() {
    return applied.isEmpty();
  }

  int appliedCount() {
    return applied.size();
  }

  /** The file committed last, or null. */
  MigrationReport.Applied last() {
    return applied.isEmpty() ? null : applied.get(applied.size() - 1);
  }

  MigrationReport report(int from, int to) {
    return new MigrationReport(from, to, applied, backup);
  }

  /**
   * The failure of the run, with what it had committed before it and the version that left, as the history says
   * now; {@code expected} when the history cannot be read (the version the files committed imply).
   */
  MigrationRunException stoppedAt(RuntimeException failure, Connection c, int from, int expected) {
    int now = expected;
    try {
      now = MigrationHistory.maxVersion(MigrationHistory.read(c));
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
    return new MigrationRunException(failure.getMessage(), failure, report(from, now));
  }

  /**
   * Once per run, before its first change, when the settings ask for it and the database holds data. Called while
   * the run's connection holds the write lock, it copies from a second connection that needs only a read lock: the
   * copy is then exactly the state about to be migrated, with nothing committed in between.
   */
  void backupIfWanted(MigrationContext context, DatabaseState state) {
    if (backupConsidered) {
      return;
    }
    backupConsidered = true;
    EngineConfig.Migrations settings = context.settings();
    if (!settings.backupBeforeMigrate() || !state.isNonEmpty()) {
      return;
    }
    Path target = settings.backupDirectory().toAbsolutePath().normalize().resolve(
        "tradestore-v" + state.appliedVersion() + "-" + BACKUP_STAMP.format(context.clock().instant()) + ".db");
    try (Connection reader = context.openReadOnly()) {
      backup = DatabaseBackup.vacuumInto(reader, target);
    } catch (SQLException | RuntimeException e) {
      backupConsidered = false;
      throw new MigrationException("backup before migrating failed, nothing was changed: " + e.getMessage(), e);
    }
    LOG.info("backed up {} at version {} to {}", context.db().path(), state.appliedVersion(), backup);
  }
}
