package io.tradestore.housekeeping;

import io.tradestore.store.SqliteFiles;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON-lines files of the rows retention removes, one file per table per day ({@code <table>-<yyyy-MM-dd>.jsonl},
 * UTC), so history can be kept outside the live database. Rows are appended and forced to disk before the delete
 * commits; if the delete does not commit, the files are cut back to where they were, so they hold exactly the
 * removed rows. (Only a crash between the append and the commit can leave rows that were not removed; each row
 * carries its key, so a reader can drop such duplicates.)
 */
final class RetentionArchive {
  private final Path directory;

  RetentionArchive(Path directory) {
    this.directory = directory;
  }

  /** Where each file stood before a delete batch began, to cut it back if the batch does not commit. */
  static final class Marks {
    private final Map<Path, Long> lengths = new HashMap<>();
  }

  void append(String table, List<JsonObject> rows, LocalDate day, Marks marks) {
    if (rows.isEmpty()) {
      return;
    }
    SqliteFiles.createDirectory(directory);
    Path file = directory.resolve(table + "-" + day + ".jsonl");
    StringBuilder text = new StringBuilder();
    rows.forEach(row -> text.append(row.encode()).append('\n'));
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      SqliteFiles.restrictToOwner(file);
      long length = channel.size();
      marks.lengths.putIfAbsent(file, length);
      channel.position(length);
      ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot archive " + table + " rows to " + file + ": " + e.getMessage(), e);
    }
  }

  /** Cuts every file touched since {@code marks} back to its length then. */
  void rewind(Marks marks) {
    marks.lengths.forEach((file, length) -> {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.truncate(length);
        channel.force(true);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot cut back " + file + ": " + e.getMessage(), e);
      }
    });
    marks.lengths.clear();
  }

  static LocalDate today(long epochMillis) {
    return java.time.Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC).toLocalDate();
  }
}
