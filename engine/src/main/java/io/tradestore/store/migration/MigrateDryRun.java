package io.tradestore.store.migration;

import io.tradestore.config.EngineConfig;
import io.tradestore.store.DatabaseBackup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code migrate up --dry-run}: applies the pending files to a scratch copy of the database (taken with
 * {@code VACUUM INTO}) and reports what a real run would; the database itself is only read.
 */
final class MigrateDryRun {
  private static final Logger LOG = LoggerFactory.getLogger(MigrateDryRun.class);

  private final MigrationContext context;

  MigrateDryRun(MigrationContext context) {
    this.context = context;
  }

  MigrationReport run(Integer targetVersion) {
    context.resolveAndLint();
    Path scratchDir;
    try {
      scratchDir = Files.createTempDirectory("tradestore-dry-run-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a scratch directory for the dry run: " + e.getMessage(), e);
    }
    try {
      Path scratch = scratchDir.resolve("scratch.db");
      Path live = context.db().path();
      if (Files.exists(live)) {
        try (Connection reader = context.openReadOnly()) {
          DatabaseBackup.vacuumInto(reader, scratch);
        } catch (SQLException e) {
          throw new MigrationException("dry run: cannot copy " + live + " to a scratch database: " + e.getMessage(), e);
        }
      }
      EngineConfig.Migrations scratchSettings =
          new EngineConfig.Migrations(context.location(), false, false, scratchDir);
      MigrateUp onScratch = new MigrateUp(context.on(scratch, scratchSettings, "dry run: "));
      try {
        return onScratch.run(targetVersion);
      } catch (MigrationRunException e) {
        throw new MigrationRunException("dry run failed: " + e.getMessage(), e, e.report());
      } catch (MigrationException e) {
        throw new MigrationException("dry run failed: " + e.getMessage(), e);
      }
    } finally {
      deleteRecursively(scratchDir);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn("could not delete the dry-run scratch directory {}: {}", dir, e.getMessage());
    }
  }
}
