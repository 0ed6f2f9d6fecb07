package io.tradestore.store;

import io.tradestore.FileErrors;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Creates database files and folders readable by their owner only: trading records are confidential, and
 * SQLite gives its -wal and -shm files the permissions of the main file, so getting the main file right
 * covers all three.
 */
public final class SqliteFiles {
  public static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");
  public static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private SqliteFiles() { }

  /**
   * Creates the folder (0700) and an empty database file (0600) when they do not exist yet; refuses to when the
   * database's -wal or -shm is still there ({@link #refuseOrphanedJournal}).
   */
  public static void prepareDatabaseFile(Path databaseFile) {
    Path file = databaseFile.toAbsolutePath();
    refuseOrphanedJournal(file);
    createDirectory(file.getParent());
    createEmptyFile(file);
  }

  /**
   * A missing database file beside a non-empty -wal or a -shm was deleted or moved away behind SQLite's back (a
   * clean stop removes both; a crash leaves them beside the database file). A fresh empty database there would
   * start from nothing without a word, and SQLite might even replay the old log into it: refuse, and say what to do.
   */
  public static void refuseOrphanedJournal(Path databaseFile) {
    Path file = databaseFile.toAbsolutePath();
    Path wal = Path.of(file + "-wal");
    Path shm = Path.of(file + "-shm");
    try {
      long walBytes = sizeIfPresent(wal);
      boolean walLeft = walBytes > 0;
      if (Files.exists(file) || !(walLeft || Files.exists(shm))) {
        return;
      }
      throw new IllegalStateException("the database file " + file + " is missing, but "
          + (walLeft ? "its write-ahead log " + wal + " (" + walBytes + " bytes)" : "its shared-memory file " + shm)
          + " is still there: the database was deleted or moved away while an engine had it open, or after a crash. "
          + "Restore it from a backup (docs/operations.md, Restore); to start a new empty database instead, remove "
          + wal + " and " + shm + " first");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot examine " + wal + ": " + e.getMessage(), e);
    }
  }

  /**
   * The file's size, 0 when it is absent: another process's last connection deletes the log when it closes, so it
   * can vanish between any check and the next (seen with four migrate processes starting at once).
   */
  private static long sizeIfPresent(Path file) throws IOException {
    try {
      return Files.size(file);
    } catch (NoSuchFileException e) {
      return 0;
    }
  }

  /**
   * Creates the folder and its missing parents with owner-only permissions, and logs which it created: a mistyped
   * path then shows in the log rather than as a new tree nobody asked for. Leaves existing ones alone.
   */
  public static void createDirectory(Path directory) {
    List<Path> created = new ArrayList<>();
    createDirectory(directory.toAbsolutePath(), created);
    if (!created.isEmpty()) {
      LoggerFactory.getLogger(SqliteFiles.class).info("created the folder{} {} ({})", created.size() > 1 ? "s" : "",
          created.stream().map(Path::toString).collect(Collectors.joining(", ")),
          POSIX ? PosixFilePermissions.toString(OWNER_DIRECTORY) : "default permissions");
    }
  }

  private static void createDirectory(Path dir, List<Path> created) {
    try {
      if (Files.isDirectory(dir)) {
        return;
      }
      if (dir.getParent() != null) {
        createDirectory(dir.getParent(), created);
      }
      if (POSIX) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
        Files.setPosixFilePermissions(dir, OWNER_DIRECTORY); // the umask may have narrowed or kept group bits
      } else {
        Files.createDirectory(dir);
      }
      created.add(dir);
    } catch (java.nio.file.FileAlreadyExistsException raced) {
      // another process created it first: fine
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the folder " + dir + ": " + FileErrors.reason(e), e);
    }
  }

  /** An empty file is a valid empty SQLite database; creating it ourselves fixes its permissions. */
  public static void createEmptyFile(Path file) {
    try {
      if (Files.exists(file)) {
        return;
      }
      if (POSIX) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        Files.setPosixFilePermissions(file, OWNER_FILE);
      } else {
        Files.createFile(file);
      }
    } catch (java.nio.file.FileAlreadyExistsException raced) {
      // another process created it first: fine
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the file " + file + ": " + FileErrors.reason(e), e);
    }
  }

  /**
   * Warns when an existing database file can be read by group or others (a restored copy, say): SQLite gives the
   * -wal and -shm files the same permissions. It is not changed silently; the operator may have meant it.
   */
  public static void warnIfReadableByOthers(Path file) {
    if (!POSIX || !Files.exists(file)) {
      return;
    }
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      permissions.removeAll(OWNER_FILE);
      permissions.remove(PosixFilePermission.OWNER_EXECUTE);
      if (!permissions.isEmpty()) {
        LoggerFactory.getLogger(SqliteFiles.class).warn(
            "database {} is accessible to others ({}); restrict it with: chmod 600 {}", file,
            PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read permissions of " + file + ": " + e.getMessage(), e);
    }
  }

  public static void restrictToOwner(Path file) {
    if (!POSIX) {
      return;
    }
    try {
      Files.setPosixFilePermissions(file, Files.isDirectory(file) ? OWNER_DIRECTORY : OWNER_FILE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restrict permissions of " + file + ": " + e.getMessage(), e);
    }
  }
}
