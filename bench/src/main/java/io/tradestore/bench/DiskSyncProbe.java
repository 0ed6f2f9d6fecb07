package io.tradestore.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The disk's own ceiling for a durable commit: how long {@code fdatasync} of a small append takes on the file
 * system that holds the bench's databases. At synchronous=FULL every commit pays one; at NORMAL only checkpoints
 * do. Its tail bounds the reply tail of any design that syncs per commit: a stall of the disk stalls every command
 * waiting for that commit. Measured twice: alone, and beside a thread that writes like a checkpoint (random pages
 * of another file, synced every 50 ms), since that is what the engine's commits share the disk with.
 */
final class DiskSyncProbe {
  private static final int WRITE_BYTES = 8 * 1024;
  private static final long WRAP_BYTES = 64L << 20;

  private DiskSyncProbe() { }

  private static final int PAGE_BYTES = 4096;
  private static final int PAGES_PER_CHECKPOINT = 256; // 1 MiB every 50 ms: about what the engine copies at full load
  private static final long CHECKPOINT_FILE_BYTES = 256L << 20;

  /**
   * Appends {@code writes} blocks of 8 KiB, each followed by a data sync, and returns their sync times in µs; with
   * {@code besideCheckpoints}, while another thread writes and syncs another file like a checkpoint does.
   */
  static Histogram run(Path dir, int writes, boolean besideCheckpoints) throws Exception {
    if (!besideCheckpoints) {
      return appendAndSync(dir, writes);
    }
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
    Path other = dir.resolve("disk-sync-probe-checkpoint");
    Thread checkpoints = new Thread(() -> writeLikeCheckpoints(other, done), "disk-probe-checkpoints");
    checkpoints.setUncaughtExceptionHandler((t, e) -> failed.set(e));
    checkpoints.start();
    Histogram result;
    try {
      result = appendAndSync(dir, writes);
    } finally {
      done.set(true);
      checkpoints.join();
      Files.deleteIfExists(other);
    }
    if (failed.get() != null) { // else the figure would be of the disk alone, labelled as beside checkpoints
      throw new IOException("the checkpoint-like writer failed: " + failed.get(), failed.get());
    }
    return result;
  }

  private static void writeLikeCheckpoints(Path file, java.util.concurrent.atomic.AtomicBoolean done) {
    ByteBuffer page = ByteBuffer.allocate(PAGE_BYTES);
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      while (!done.get()) {
        for (int i = 0; i < PAGES_PER_CHECKPOINT; i++) {
          page.clear();
          channel.write(page, random.nextLong(CHECKPOINT_FILE_BYTES / PAGE_BYTES) * PAGE_BYTES);
        }
        channel.force(false);
        Thread.sleep(50);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Histogram appendAndSync(Path dir, int writes) throws IOException {
    Path file = dir.resolve("disk-sync-probe");
    Histogram micros = new Histogram(60_000_000L, 3);
    ByteBuffer block = ByteBuffer.allocate(WRITE_BYTES);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      long position = 0;
      for (int i = 0; i < writes; i++) {
        block.clear();
        block.putLong(0, i);
        channel.write(block, position);
        position = (position + WRITE_BYTES) % WRAP_BYTES;
        long started = System.nanoTime();
        channel.force(false); // fdatasync: what SQLite's WAL commit asks of the disk
        micros.recordValue(Math.max(1, (System.nanoTime() - started) / 1_000));
      }
    } finally {
      Files.deleteIfExists(file);
    }
    return micros;
  }
}
