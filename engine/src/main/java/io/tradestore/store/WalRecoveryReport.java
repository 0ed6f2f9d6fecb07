package io.tradestore.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What SQLite's recovery will keep of a write-ahead log and what it will drop, read from the {@code -wal} file
 * before SQLite opens it (SQLite itself says nothing: it keeps the log up to its last intact commit and silently
 * overwrites the rest).
 *
 * <p>The file is walked as SQLite's {@code walIndexRecover} walks it (https://www.sqlite.org/fileformat2.html#walformat):
 * a 32-byte header whose magic gives the byte order of the checksums, then frames of a 24-byte header and one page.
 * A frame is valid while it carries the header's salts, a non-zero page number and the cumulative checksum of the
 * header and every frame so far; the log SQLite keeps ends at the last valid frame that ends a commit (a non-zero
 * "database size" field). What lies beyond it is dropped. Frames there with other salts are an older generation of
 * the log, which a restart overwrote from the beginning: normal. Frames there with the header's salts were written
 * in this generation: the tail of a transaction that never committed (harmless: no client was told it succeeded),
 * or, when commit frames are among them, commits that SQLite loses because a frame before them is damaged.
 *
 * <p>With {@code synchronous: FULL} a commit is answered only after the log is synced, and the next transaction
 * writes only after that answer, so a dropped commit that later frames of this generation follow had been
 * acknowledged; the last dropped commit, if nothing follows it, may have been the one being synced at a power
 * loss. With {@code NORMAL} any of them may have been acknowledged.
 *
 * @param wal the {@code -wal} file read
 * @param fileBytes its size (0 when it is missing)
 * @param headerValid whether SQLite accepts its header; when not, SQLite ignores the whole log and every frame in it
 *     is dropped (counted with the page size the frames line up with, and frame 1's salts)
 * @param pageSize the page size of its frames (0 when unknown)
 * @param recoveredFrames frames SQLite keeps: valid, up to and including the last valid commit frame
 * @param recoveredCommits commit frames among them
 * @param damagedFrameOffset where the chain of valid frames breaks, when that frame or a later one still carries the
 *     header's salts (damaged or torn); -1 when the log ends at the end of the file or at an older generation
 * @param droppedFrames frames of this generation after the recovered log (uncommitted, damaged, or after the damage)
 * @param droppedCommits commit frames among them whose own header is readable
 * @param lastDroppedCommitEndsLog whether no frame of this generation follows the last dropped commit
 */
public record WalRecoveryReport(Path wal, long fileBytes, boolean headerValid, int pageSize, long recoveredFrames,
                                long recoveredCommits, long damagedFrameOffset, long droppedFrames, long droppedCommits,
                                boolean lastDroppedCommitEndsLog) {
  static final int HEADER_BYTES = 32;
  static final int FRAME_HEADER_BYTES = 24;
  private static final int MAGIC = 0x377f0682;
  private static final int FORMAT_VERSION = 3007000;
  private static final int MIN_PAGE = 512;
  private static final int MAX_PAGE = 65536;

  /** The log of {@code database}, where SQLite looks for it: beside the database's real file. */
  public static Path walOf(Path database) {
    Path real = RealPath.of(database);
    return real.resolveSibling(real.getFileName() + "-wal");
  }

  /** Reads the log; a missing or empty file is a report of nothing. */
  public static WalRecoveryReport read(Path wal) {
    try (FileChannel channel = FileChannel.open(wal, StandardOpenOption.READ)) {
      return new Walk(wal, channel).run();
    } catch (NoSuchFileException e) {
      return empty(wal, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the write-ahead log " + wal + ": " + e.getMessage(), e);
    }
  }

  private static WalRecoveryReport empty(Path wal, long bytes) {
    return new WalRecoveryReport(wal, bytes, true, 0, 0, 0, -1, 0, 0, false);
  }

  /** Bytes of the log SQLite keeps (its header and the recovered frames); the rest of the file it overwrites. */
  public long recoveredBytes() {
    return recoveredFrames == 0 ? 0 : HEADER_BYTES + recoveredFrames * (FRAME_HEADER_BYTES + (long) pageSize);
  }

  /** Whether there was a log with frames in it to recover at all. */
  public boolean hasFrames() {
    return recoveredFrames > 0 || droppedFrames > 0 || !headerValid;
  }

  /**
   * Dropped commits that clients may have been told succeeded. With {@code commitsSynced} (synchronous FULL) a
   * commit is answered only after its frames are synced, and the next transaction writes only after that, so every
   * dropped commit that later frames follow had been answered; one that ends the log may have been cut while it was
   * written or synced, before its answer, as a crash or power loss does: not counted. Without (NORMAL), a commit is
   * answered before any sync, so each of them may have been. A damaged header drops every commit in the log.
   */
  public long acknowledgedDroppedCommits(boolean commitsSynced) {
    return commitsSynced && lastDroppedCommitEndsLog ? droppedCommits - 1 : droppedCommits;
  }

  /** Whether the startup should warn: acknowledged commits may be lost, and the operator must act. */
  public boolean losesAcknowledgedCommits(boolean commitsSynced) {
    return acknowledgedDroppedCommits(commitsSynced) > 0 || (!headerValid && fileBytes > HEADER_BYTES);
  }

  /** One sentence for the startup log (WARN when {@link #losesAcknowledgedCommits}, INFO otherwise). */
  public String describe(boolean commitsSynced) {
    String kept = recoveredFrames + " frames (" + recoveredCommits + " commits, " + recoveredBytes() + " bytes)";
    String log = "the write-ahead log " + wal + " (" + fileBytes + " bytes)";
    String restore = "if clients were told they succeeded, restore from a backup (docs/operations.md, \"A write-ahead log damaged after a crash\")";
    if (!headerValid) {
      return log + " has a damaged header, so SQLite ignores all of it: "
          + (pageSize == 0 ? "its frames cannot be read either" : droppedFrames + " frames (" + droppedCommits + " commits)")
          + "; what no checkpoint had copied into the database file yet is lost; " + restore;
    }
    if (acknowledgedDroppedCommits(commitsSynced) > 0) {
      return log + " had " + droppedFrames + " frames (" + droppedCommits + " commits) after a damaged frame at offset "
          + damagedFrameOffset + "; SQLite recovers only up to the last intact commit, " + kept + ": commits after it "
          + "are lost" + (commitsSynced && lastDroppedCommitEndsLog
              ? " (" + (droppedCommits - 1) + " of them surely answered, since later writes followed them; the last may "
                  + "have been cut before its answer)" : "")
          + "; " + restore;
    }
    if (droppedCommits > 0) {
      return log + " ends with " + droppedFrames + " frames of a last commit cut at offset " + damagedFrameOffset
          + " while it was written or synced (at synchronous FULL it had not been answered yet, unless the disk damaged "
          + "it later), which SQLite discards; recovered " + kept;
    }
    if (droppedFrames > 0) {
      return log + " ends with " + droppedFrames + " frames of a transaction that never committed"
          + (damagedFrameOffset < 0 ? "" : " (torn at offset " + damagedFrameOffset + ")")
          + ", which SQLite discards: no client was told it succeeded; recovered " + kept;
    }
    return log + " is intact: recovered " + kept;
  }

  /** One pass over the file, as SQLite's recovery makes it, then on over the frame headers beyond. */
  private static final class Walk {
    private final Path wal;
    private final FileChannel channel;
    private final long size;

    Walk(Path wal, FileChannel channel) throws IOException {
      this.wal = wal;
      this.channel = channel;
      this.size = channel.size();
    }

    WalRecoveryReport run() throws IOException {
      if (size < HEADER_BYTES) {
        return empty(wal, size); // SQLite treats a log without a whole header as empty
      }
      ByteBuffer header = readAt(0, HEADER_BYTES);
      int magic = header.getInt(0);
      int pageSize = header.getInt(8);
      if ((magic & 0xFFFFFFFE) != MAGIC || !isPageSize(pageSize)) {
        return unreadableHeader();
      }
      ByteOrder order = (magic & 1) == 1 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      int[] sum = new int[2];
      checksum(header, 0, 24, order, sum);
      if (sum[0] != header.getInt(24) || sum[1] != header.getInt(28) || header.getInt(4) != FORMAT_VERSION) {
        // (with a sound checksum and another version SQLite refuses to open the database rather than ignore the
        // log; there has only ever been the one version)
        return unreadableHeader();
      }
      long salts = header.getLong(16);
      long frameBytes = FRAME_HEADER_BYTES + (long) pageSize;
      long wholeFrames = (size - HEADER_BYTES) / frameBytes;

      long frame = 0; // frames walked and valid
      long lastCommit = 0;
      long commits = 0;
      ByteBuffer buffer = ByteBuffer.allocate((int) frameBytes);
      while (frame < wholeFrames) {
        long offset = HEADER_BYTES + frame * frameBytes;
        buffer.clear();
        readFully(buffer, offset);
        if (buffer.getLong(8) != salts || buffer.getInt(0) == 0) {
          break;
        }
        int[] next = sum.clone();
        checksum(buffer, 0, 8, order, next);
        checksum(buffer, FRAME_HEADER_BYTES, (int) frameBytes, order, next);
        if (next[0] != buffer.getInt(16) || next[1] != buffer.getInt(20)) {
          break;
        }
        sum = next;
        frame++;
        if (buffer.getInt(4) != 0) {
          lastCommit = frame;
          commits++;
        }
      }
      // valid frames after the last commit belong to a transaction that did not commit: dropped, never commits
      Beyond beyond = countGeneration(HEADER_BYTES + frame * frameBytes, frameBytes, salts);
      long damaged = beyond.frames > 0 ? HEADER_BYTES + frame * frameBytes : -1;
      return new WalRecoveryReport(wal, size, true, pageSize, lastCommit, commits, damaged,
          frame - lastCommit + beyond.frames, beyond.commits, beyond.lastIsCommit);
    }

    /**
     * SQLite ignores the whole log. Its frames are counted anyway, with the page size at which frame 2 carries
     * frame 1's salts (frame 1 always begins the current generation), so that the loss shows in the metrics.
     */
    private WalRecoveryReport unreadableHeader() throws IOException {
      if (size < HEADER_BYTES + FRAME_HEADER_BYTES) {
        return new WalRecoveryReport(wal, size, false, 0, 0, 0, 0, 0, 0, false);
      }
      long salts = readAt(HEADER_BYTES, FRAME_HEADER_BYTES).getLong(8);
      for (int page = MIN_PAGE; page <= MAX_PAGE; page <<= 1) {
        long frameBytes = FRAME_HEADER_BYTES + (long) page;
        long second = HEADER_BYTES + frameBytes;
        boolean lined = second + FRAME_HEADER_BYTES <= size
            ? readAt(second, FRAME_HEADER_BYTES).getLong(8) == salts
            : size == second; // a single whole frame fills the file exactly
        if (lined) {
          Beyond frames = countGeneration(HEADER_BYTES, frameBytes, salts);
          return new WalRecoveryReport(wal, size, false, page, 0, 0, 0, frames.frames, frames.commits, frames.lastIsCommit);
        }
      }
      return new WalRecoveryReport(wal, size, false, 0, 0, 0, 0, 0, 0, false);
    }

    /** Frame headers from {@code from} to the end of the file that carry {@code salts}, a torn last frame included. */
    private Beyond countGeneration(long from, long frameBytes, long salts) throws IOException {
      Beyond beyond = new Beyond();
      ByteBuffer frameHeader = ByteBuffer.allocate(FRAME_HEADER_BYTES);
      for (long offset = from; offset + FRAME_HEADER_BYTES <= size; offset += frameBytes) {
        frameHeader.clear();
        readFully(frameHeader, offset);
        if (frameHeader.getLong(8) != salts) {
          continue; // an older generation's frame, or one damaged in its salts: not known to be this one's
        }
        beyond.frames++;
        beyond.lastIsCommit = frameHeader.getInt(4) != 0;
        if (beyond.lastIsCommit) {
          beyond.commits++;
        }
      }
      return beyond;
    }

    private ByteBuffer readAt(long offset, int bytes) throws IOException {
      ByteBuffer buffer = ByteBuffer.allocate(bytes);
      readFully(buffer, offset);
      return buffer;
    }

    private void readFully(ByteBuffer buffer, long offset) throws IOException {
      long at = offset;
      while (buffer.hasRemaining()) {
        int read = channel.read(buffer, at);
        if (read < 0) {
          throw new IOException("the file ended at " + at + " while " + buffer.remaining() + " more bytes were expected");
        }
        at += read;
      }
    }
  }

  /** Frames of the current generation found past the point where the valid chain stopped. */
  private static final class Beyond {
    long frames;
    long commits;
    boolean lastIsCommit;
  }

  private static boolean isPageSize(int size) {
    return size >= MIN_PAGE && size <= MAX_PAGE && (size & (size - 1)) == 0;
  }

  /**
   * SQLite's {@code walChecksumBytes}: over pairs of 32-bit words read in the log's byte order,
   * {@code s1 += x0 + s2; s2 += x1 + s1}, continuing from {@code sum}, which it updates. Java's int arithmetic wraps
   * as SQLite's u32 does.
   */
  static void checksum(ByteBuffer bytes, int from, int to, ByteOrder order, int[] sum) {
    ByteBuffer words = bytes.duplicate().order(order);
    int s1 = sum[0];
    int s2 = sum[1];
    for (int i = from; i < to; i += 8) {
      s1 += words.getInt(i) + s2;
      s2 += words.getInt(i + 4) + s1;
    }
    sum[0] = s1;
    sum[1] = s2;
  }
}
