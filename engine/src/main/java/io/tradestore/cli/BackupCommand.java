package io.tradestore.cli;

import io.tradestore.config.EngineConfig;
import io.tradestore.store.DatabaseBackup;
import io.tradestore.store.SqliteConnections;
import io.tradestore.store.StoragePreflight;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

/**
 * An online, consistent copy of the database, safe while the engine runs: {@code VACUUM INTO} from a read-only
 * connection (it never takes the write lock), then {@code PRAGMA integrity_check} on the copy.
 */
@Command(name = "backup", description = "Write a consistent online copy of the database.")
public final class BackupCommand implements Callable<Integer> {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  @Mixin
  ConfigOptions options = new ConfigOptions();

  @Option(names = "--out", paramLabel = "FILE",
      description = "Where to write the copy (must not exist). Default: <migrations.backupDirectory>/tradestore-<time>.db")
  Path out;

  @Override
  public Integer call() throws Exception {
    EngineConfig config = CommandConfig.load(options);
    StoragePreflight.checkLocation(config.database().path());
    if (!Files.isRegularFile(config.database().path())) {
      throw new IllegalArgumentException("no database at " + config.database().path());
    }
    Path target = out != null ? out
        : config.migrations().backupDirectory().resolve("tradestore-" + STAMP.format(Instant.now()) + ".db");
    long begin = System.nanoTime();
    try (Connection c = SqliteConnections.reader(config.database()).getConnection()) {
      DatabaseBackup.vacuumInto(c, target);
    }
    System.out.printf("backup written to %s (%d bytes, integrity ok) in %d ms%n", target.toAbsolutePath(),
        Files.size(target), (System.nanoTime() - begin) / 1_000_000);
    return 0;
  }
}
