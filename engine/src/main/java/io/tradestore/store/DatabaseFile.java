package io.tradestore.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;

/**
 * The database file the writer has open, known by its file key (device and inode), to tell when its path no longer
 * leads to it: the file was deleted, moved or replaced while the engine runs. SQLite does not notice this in WAL
 * mode: it goes on writing into the open file, which the file system frees at the stop, so every write
 * acknowledged from then on would be lost. The writer asks {@link #verify()} before each COMMIT: one {@code stat}
 * of the path per transaction (a few microseconds, against the hundreds a commit costs), none per command.
 */
final class DatabaseFile {
  /** The condition of a {@link StorageFault} raised by {@link #verify()}. */
  static final String REPLACED = "DATABASE_FILE_REPLACED";

  private final Path path;
  private final Object key;

  private DatabaseFile(Path path, Object key) {
    this.path = path;
    this.key = key;
  }

  /** The file at {@code path} now, just after the writer opened it. */
  static DatabaseFile identify(Path path) {
    Path file = path.toAbsolutePath();
    try {
      return new DatabaseFile(file, Files.readAttributes(file, BasicFileAttributes.class).fileKey());
    } catch (IOException e) {
      return new DatabaseFile(file, null); // cannot tell: no check, as on a platform without file keys
    }
  }

  /** Throws {@link Replaced} when the path leads to another file than the one opened, or to none. */
  void verify() {
    if (key == null) {
      return;
    }
    Object now;
    try {
      now = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      now = null;
    } catch (IOException e) {
      return; // the path cannot be examined (a transient error): SQLite's own write answers for the disk
    }
    if (!key.equals(now)) {
      throw new Replaced(message(now == null));
    }
  }

  private String message(boolean deleted) {
    String opened = openDescriptor().map(fd -> " The engine still holds the old file open: before stopping it, copy it with `cp "
        + fd + " " + path + ".recovered && cp " + path + "-wal " + path + ".recovered-wal` to keep what was written since "
        + "your last backup.").orElse("");
    return "the database file " + path + (deleted ? " was deleted" : " was moved or replaced by another file")
        + " while the engine had it open: writes are refused from now on, since they would be lost with the old file."
        + opened + " Then stop the engine and restore the database (docs/operations.md, Restore)";
  }

  /** Where the open, unlinked file can still be read ({@code /proc/<pid>/fd/<n>} on Linux); looked up on failure only. */
  private Optional<String> openDescriptor() {
    Path descriptors = Path.of("/proc/self/fd");
    if (!Files.isDirectory(descriptors)) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> open = Files.newDirectoryStream(descriptors)) {
      for (Path fd : open) {
        try {
          if (Objects.equals(key, Files.readAttributes(fd, BasicFileAttributes.class).fileKey())) {
            return Optional.of("/proc/" + ProcessHandle.current().pid() + "/fd/" + fd.getFileName());
          }
        } catch (IOException ignored) {
          // closed meanwhile, or not a file
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // no /proc to read: the message goes without the hint
    }
    return Optional.empty();
  }

  /** The database file is no longer at its path. */
  static final class Replaced extends RuntimeException {
    Replaced(String message) {
      super(message, null, false, false);
    }
  }
}
