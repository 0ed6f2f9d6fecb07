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
 * waiting for that commit.
 */
final class DiskSyncProbe {
  private static final int WRITE_BYTES = 8 * 1024;
  private static final long WRAP_BYTES = 64L << 20;

  private DiskSyncProbe() { }

  /** Appends {@code writes} blocks of 8 KiB, each followed by a data sync, and returns their sync times in µs. */
  static Histogram run(Path dir, int writes) throws IOException {
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
