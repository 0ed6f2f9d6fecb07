package io.tradestore.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes sure one engine at a time owns a database. Two engines on one file would each believe they are the only
 * writer (and deliver the outbox twice). The lock is an OS file lock on {@code <database>.lock}: the OS releases it
 * when the process dies, so it can never go stale. Tools that change the schema take it too.
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
    Path file = Path.of(database.toAbsolutePath() + ".lock");
    SqliteFiles.createDirectory(file.getParent());
    SqliteFiles.createEmptyFile(file);
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock(0L, Long.MAX_VALUE, shared);
      if (lock == null) {
        channel.close();
        throw new IllegalStateException("another tradestore process is using " + database
            + " (it holds " + file + "); stop it first");
      }
      return new EngineLock(channel, lock);
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw new IllegalStateException("this process already runs an engine on " + database, e);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
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
