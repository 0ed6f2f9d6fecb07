package io.tradestore.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Remembers that the engine last stopped cleanly, so that the next start can skip the startup integrity check.
 *
 * <p>That check reads the whole file, which takes seconds from the page cache and near a minute from disk after a
 * host reboot on a large database (docs/performance.md, "Measurements behind design choices"). A file that an engine closed cleanly
 * (WAL checkpointed into it and removed) and that nothing has written since is no more likely to be damaged than
 * when it was closed; one left by a crash, a kill or power loss is, and is checked. The marker
 * {@code <database>.clean} holds the file's size and modification time as the clean stop left them; it is removed
 * at every start, so a crash during the next run leaves none, and any later change to the file (another tool, a
 * restore, a migration run, a WAL with content) no longer matches it.
 */
public final class CleanStop {
  private CleanStop() { }

  static Path markerOf(Path database) {
    return database.resolveSibling(database.getFileName() + ".clean");
  }

  private static Path walOf(Path database) {
    return database.resolveSibling(database.getFileName() + "-wal");
  }

  /**
   * After the writer closed the database: records the file as it is now, unless a WAL with content is still beside
   * it (then the stop was not clean enough, and the next start checks).
   */
  public static void record(Path database) throws IOException {
    Path wal = walOf(database);
    if (!Files.exists(database) || (Files.exists(wal) && Files.size(wal) > 0)) {
      return;
    }
    Path marker = markerOf(database);
    Path partial = marker.resolveSibling(marker.getFileName() + ".partial");
    Files.deleteIfExists(partial);
    Files.createFile(partial, PosixFilePermissions.asFileAttribute(SqliteFiles.OWNER_FILE));
    String text = fingerprint(database) + " " + Instant.now() + "\n";
    try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
      channel.write(StandardCharsets.UTF_8.encode(text));
      channel.force(true);
    }
    Files.move(partial, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Removes the marker and answers when the clean stop happened if the file is exactly as that stop left it;
   * empty when there was no marker or the file changed since.
   */
  public static Optional<String> consume(Path database) throws IOException {
    Path marker = markerOf(database);
    if (!Files.exists(marker)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(marker, StandardCharsets.UTF_8);
    Files.delete(marker);
    if (lines.isEmpty() || !Files.exists(database)) {
      return Optional.empty();
    }
    String[] fields = lines.get(0).trim().split(" ");
    Path wal = walOf(database);
    boolean untouched = fields.length == 3 && (fields[0] + " " + fields[1]).equals(fingerprint(database))
        && !(Files.exists(wal) && Files.size(wal) > 0);
    return untouched ? Optional.of(fields[2]) : Optional.empty();
  }

  private static String fingerprint(Path database) throws IOException {
    return Files.size(database) + " " + Files.getLastModifiedTime(database).to(TimeUnit.NANOSECONDS);
  }
}
