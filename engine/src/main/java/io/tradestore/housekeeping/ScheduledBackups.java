package io.tradestore.housekeeping;

import io.tradestore.config.EngineConfig;
import io.tradestore.store.DatabaseBackup;
import io.tradestore.store.SqliteConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Online backups into a folder, keeping the newest N. Each is a {@code VACUUM INTO} from a read-only connection
 * (a consistent snapshot that never takes the write lock), checked with {@code integrity_check}. Only files this
 * schedule wrote are pruned, never a pre-migration backup or an operator's copy. Blocking: run on a worker.
 */
public final class ScheduledBackups {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduledBackups.class);
  static final String PREFIX = "tradestore-scheduled-";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final EngineConfig.Database db;
  private final EngineConfig.Backup settings;

  public ScheduledBackups(EngineConfig.Database db, EngineConfig.Backup settings) {
    this.db = db;
    this.settings = settings;
  }

  /** Writes one backup, prunes the oldest beyond {@code keep}, answers the new file. */
  public Path run(Instant now) {
    Path target = settings.directory().resolve(PREFIX + STAMP.format(now) + ".db");
    long begin = System.nanoTime();
    try (Connection c = SqliteConnections.reader(db).getConnection()) {
      DatabaseBackup.vacuumInto(c, target);
    } catch (SQLException e) {
      throw new IllegalStateException("scheduled backup to " + target + " failed: " + e.getMessage(), e);
    }
    List<Path> pruned = prune();
    LOG.info("backup written to {} in {} ms{}", target, (System.nanoTime() - begin) / 1_000_000,
        pruned.isEmpty() ? "" : "; removed " + pruned.size() + " older scheduled backup(s)");
    return target;
  }

  private List<Path> prune() {
    try (Stream<Path> files = Files.list(settings.directory())) {
      List<Path> ours = files
          .filter(p -> p.getFileName().toString().startsWith(PREFIX) && p.getFileName().toString().endsWith(".db"))
          .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
          .toList();
      List<Path> old = ours.size() > settings.keep() ? ours.subList(settings.keep(), ours.size()) : List.of();
      for (Path p : old) {
        Files.deleteIfExists(p);
      }
      return old;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prune backups in " + settings.directory() + ": " + e.getMessage(), e);
    }
  }
}
