package io.tradestore.store;

import io.tradestore.config.InvalidConfigException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Checks, before SQLite or the clean-stop marker touch the database, that the engine can write where it must, and
 * names the cause when it cannot. Left to them, a read-only database file stopped the start with "unexpected error:
 * SQLiteException" and a read-only folder or mount with the bare name of the {@code .clean} marker that could not
 * be removed. SQLite needs to write the database file and to create its {@code -wal} and {@code -shm} files beside it;
 * the engine creates its {@code .lock} and {@code .clean} files there too.
 */
public final class StoragePreflight {
  private StoragePreflight() { }

  /**
   * Throws {@link IllegalStateException} naming the file or folder that cannot be written, and why; first
   * {@link #checkLocation}.
   */
  public static void check(Path database) {
    checkLocation(database);
    Path file = database.toAbsolutePath();
    SqliteFiles.refuseOrphanedJournal(file);
    Path folder = file.getParent();
    Path existing = folder;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return;
    }
    try {
      FileStore store = Files.getFileStore(existing);
      if (store.isReadOnly()) {
        throw new IllegalStateException("the database " + file + " is on a read-only file system (" + store
            + "): remount it read-write, or set database.path to a writable place");
      }
      if (Files.exists(file) && !Files.isWritable(file)) {
        throw new IllegalStateException("the database file " + file + " is not writable by this user ("
            + System.getProperty("user.name") + "; " + describe(file) + "): make it the engine user's again (chown, "
            + "chmod u+w), or run the engine as its owner");
      }
      if (!Files.isWritable(existing)) {
        String what = existing.equals(folder)
            ? "the folder " + folder + " is not writable by this user"
            : "the folder " + folder + " cannot be created: " + existing + " is not writable by this user";
        throw new IllegalStateException(what + " (" + System.getProperty("user.name") + "; " + describe(existing)
            + "): SQLite creates the database's -wal and -shm files beside it; give the folder to the engine's user, "
            + "or set database.path to a writable place");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot examine " + existing + ": " + e.getMessage(), e);
    }
  }

  /**
   * Throws {@link InvalidConfigException} (a configuration error: exit code 2) when {@code database.path} cannot
   * name a database file: a directory, something else that is not a regular file, or a path through a file as if
   * it were a folder. The commands that only read call this alone. Left to SQLite, a directory was "damaged, restore
   * it from a backup" to the engine, after a warning to chmod it, and a disk I/O error to {@code migrate}.
   */
  public static void checkLocation(Path database) {
    Path file = database.toAbsolutePath();
    if (Files.isDirectory(file)) {
      throw new InvalidConfigException("database.path", database.toString(), "a database file, but "
          + file + " is a directory");
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new InvalidConfigException("database.path", database.toString(), "a database file, but "
          + file + " is not a regular file");
    }
    for (Path folder = file.getParent(); folder != null; folder = folder.getParent()) {
      if (Files.exists(folder)) {
        if (!Files.isDirectory(folder)) {
          throw new InvalidConfigException("database.path", database.toString(), "a database file in a folder, but "
              + folder + " is a file");
        }
        return;
      }
    }
  }

  private static String describe(Path path) throws IOException {
    try {
      return "owned by " + Files.getOwner(path).getName() + ", mode "
          + PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    } catch (UnsupportedOperationException e) {
      return "owned by " + Files.getOwner(path).getName();
    }
  }
}
