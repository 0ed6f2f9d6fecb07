package io.tradestore.store;

import io.tradestore.FileErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes sure one engine at a time owns a database. Two engines on one file would each believe they are the only
 * writer (and deliver the outbox twice). The lock is an OS file lock on {@code <database>.lock}: the OS releases it
 * when the process dies, so it can never go stale. Tools that change the schema take it too.
 *
 * <p>The lock file is named after the database's {@link RealPath real path}, so a symbolic link to the file or to
 * one of its folders finds the same lock. A second name made with a hard link cannot be seen from the path, so a
 * database file with more than one name is refused outright (SQLite would give it a -wal per name as well). The
 * lock is not taken on the database file itself: POSIX record locks belong to the process, and SQLite closing any
 * of its own descriptors on the file would silently drop it, while closing ours would drop SQLite's.
 */
public final class EngineLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private EngineLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The engine's lock: exclusive. Throws {@link IllegalStateException} naming the database when it is taken. */
  public static EngineLock acquire(Path database) {
    return acquire(database, false);
  }

  /**
   * A schema tool's lock: shared, so that several migrators may run at once (the runner itself makes that safe),
   * but none while an engine runs.
   */
  public static EngineLock acquireShared(Path database) {
    return acquire(database, true);
  }

  private static EngineLock acquire(Path database, boolean shared) {
    SqliteFiles.createDirectory(database.toAbsolutePath().getParent());
    Path real = RealPath.of(database);
    refuseSecondNames(database, real);
    Path file = Path.of(real + ".lock");
    try {
      SqliteFiles.createEmptyFile(file);
    } catch (UncheckedIOException e) { // the first file written beside the database: often the first to meet a bad folder
      throw new UncheckedIOException("cannot create the engine lock " + file + " beside the database: "
          + FileErrors.reason(e.getCause()), e.getCause());
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock(0L, Long.MAX_VALUE, shared);
      if (lock == null) {
        channel.close();
        throw new IllegalStateException("another tradestore process is using " + database
            + (real.equals(database.toAbsolutePath()) ? "" : " (the file " + real + ")")
            + " (it holds " + file + "); stop it first");
      }
      return new EngineLock(channel, lock);
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw new IllegalStateException("this process already runs an engine on " + database, e);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot lock " + file + ": " + FileErrors.reason(e), e);
    }
  }

  /** A file with a second name (a hard link) could be opened through it past this lock; refuse to touch it. */
  private static void refuseSecondNames(Path database, Path real) {
    if (!Files.exists(real)) {
      return;
    }
    int links = RealPath.hardLinks(real);
    if (links > 1) {
      throw new IllegalStateException("the database file " + database + " has " + links + " names (hard links): "
          + "a process opening it by another name would get past the engine lock, and SQLite would keep a separate "
          + "-wal for each name; remove the other names (find / -samefile " + real + ") or use a symbolic link");
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // the lock attempt already failed; nothing more to release
      }
    }
  }
}
