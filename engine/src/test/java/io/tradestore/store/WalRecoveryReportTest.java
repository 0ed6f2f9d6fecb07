package io.tradestore.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reader on logs written by SQLite itself, damaged as a crash or a disk would damage them; each report is held
 * against what SQLite then really recovers from the same pair of files.
 */
class WalRecoveryReportTest {
  private static final int FRAME = 4096 + 24;
  @TempDir Path dir;

  /** A database whose log holds a CREATE TABLE and then {@code inserts} transactions of several pages each. */
  private record Written(Path db, Path wal, List<Long> commitEnds) {
    /** Where the frames of transaction {@code n} (0: the CREATE TABLE) begin. */
    long startOf(int n) {
      return n == 0 ? WalRecoveryReport.HEADER_BYTES : commitEnds.get(n - 1);
    }

    long framesFrom(int n) {
      return (commitEnds.get(commitEnds.size() - 1) - startOf(n)) / FRAME;
    }
  }

  /**
   * Writes with automatic checkpoints off and copies the database and its log aside before the connection closes
   * (its close would checkpoint the log into the database and delete it): the pair a crash would leave.
   */
  private Written write(String name, int inserts) throws Exception {
    Path live = Files.createDirectories(dir.resolve(name + "-live")).resolve("t.db");
    Path copy = Files.createDirectories(dir.resolve(name)).resolve("t.db");
    Path liveWal = Path.of(live + "-wal");
    List<Long> commitEnds = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + live); Statement st = c.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
      st.execute("PRAGMA wal_autocheckpoint=0");
      st.executeUpdate("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)");
      commitEnds.add(Files.size(liveWal));
      for (int i = 0; i < inserts; i++) {
        st.executeUpdate("INSERT INTO t (v) VALUES (randomblob(10000))"); // a leaf and two overflow pages, at least
        commitEnds.add(Files.size(liveWal));
      }
      Files.copy(live, copy);
      Files.copy(liveWal, Path.of(copy + "-wal"));
    }
    return new Written(copy, Path.of(copy + "-wal"), commitEnds);
  }

  /** Opens the pair as SQLite does after a crash (its recovery runs) and counts the rows it kept; -1: no table. */
  private static long rowsSqliteRecovers(Path db) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
         ResultSet tables = st.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 't'")) {
      tables.next();
      if (tables.getInt(1) == 0) {
        return -1;
      }
      try (ResultSet rows = st.executeQuery("SELECT count(*) FROM t")) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static void flipByte(Path file, long offset) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x40);
    }
  }

  private static void truncate(Path file, long size) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
    }
  }

  @Test
  void anIntactLogIsRecoveredWholeWithEveryCommitCounted() throws Exception {
    Written w = write("intact", 5);
    long frames = (Files.size(w.wal()) - WalRecoveryReport.HEADER_BYTES) / FRAME;
    assertTrue(frames >= 6 * 3, "several frames per transaction: " + frames);

    WalRecoveryReport report = WalRecoveryReport.read(w.wal());
    assertTrue(report.headerValid());
    assertEquals(4096, report.pageSize());
    assertEquals(frames, report.recoveredFrames());
    assertEquals(6, report.recoveredCommits(), "the CREATE TABLE and five inserts");
    assertEquals(Files.size(w.wal()), report.recoveredBytes());
    assertEquals(0, report.droppedFrames());
    assertEquals(0, report.droppedCommits());
    assertEquals(-1, report.damagedFrameOffset());
    assertFalse(report.losesAcknowledgedCommits(true));
    assertFalse(report.losesAcknowledgedCommits(false));
    assertTrue(report.describe(true).contains("is intact: recovered " + frames + " frames (6 commits"), report.describe(true));
    assertEquals(5, rowsSqliteRecovers(w.db()));
  }

  @Test
  void aLastCommitTornWhileItWasWrittenIsDroppedButWasNotAnsweredAtFull() throws Exception {
    Written w = write("torn-commit", 5);
    long end = Files.size(w.wal());
    truncate(w.wal(), end - 100); // the commit frame's page did not all reach the file: the crash came during its write

    WalRecoveryReport report = WalRecoveryReport.read(w.wal());
    assertEquals(5, report.recoveredCommits());
    assertEquals(w.startOf(5), report.recoveredBytes());
    assertEquals(w.framesFrom(5), report.droppedFrames(), "the last transaction's frames, the torn one among them");
    assertEquals(1, report.droppedCommits(), "the torn frame's own header still says it ends a commit");
    assertEquals(end - FRAME, report.damagedFrameOffset());
    assertTrue(report.lastDroppedCommitEndsLog());
    // at FULL the commit is answered after its sync, which cannot have begun before its write ended: nobody was told
    assertEquals(0, report.acknowledgedDroppedCommits(true));
    assertFalse(report.losesAcknowledgedCommits(true));
    assertTrue(report.describe(true).contains("last commit cut at offset " + (end - FRAME)), report.describe(true));
    // at NORMAL it is answered once written, before any sync: a power loss may lose it after its answer
    assertEquals(1, report.acknowledgedDroppedCommits(false));
    assertTrue(report.losesAcknowledgedCommits(false));
    assertEquals(4, rowsSqliteRecovers(w.db()));
  }

  @Test
  void aLogCutInsideATransactionsFramesDropsOnlyAnUncommittedTail() throws Exception {
    Written w = write("cut-inside", 5);
    long cut = w.startOf(5) + FRAME + 100; // its first frame whole, the second torn, its commit frame never written
    truncate(w.wal(), cut);

    WalRecoveryReport report = WalRecoveryReport.read(w.wal());
    assertEquals(5, report.recoveredCommits());
    assertEquals(2, report.droppedFrames());
    assertEquals(0, report.droppedCommits());
    assertEquals(w.startOf(5) + FRAME, report.damagedFrameOffset(), "the torn frame, not the whole one before it");
    assertFalse(report.losesAcknowledgedCommits(true));
    assertFalse(report.losesAcknowledgedCommits(false));
    assertTrue(report.describe(false).contains("2 frames of a transaction that never committed"), report.describe(false));
    assertEquals(4, rowsSqliteRecovers(w.db()));
  }

  @Test
  void aByteFlippedInAnEarlyFrameOfALaterTransactionDropsEveryCommitAfterIt() throws Exception {
    Written w = write("flipped", 6);
    long damaged = w.startOf(3); // the first frame of the third insert
    flipByte(w.wal(), damaged + 24 + 1000); // in its page, not its header: salts and commit marks stay readable

    WalRecoveryReport report = WalRecoveryReport.read(w.wal());
    assertEquals(3, report.recoveredCommits(), "the CREATE TABLE and two inserts");
    assertEquals(damaged, report.recoveredBytes());
    assertEquals(damaged, report.damagedFrameOffset());
    assertEquals(w.framesFrom(3), report.droppedFrames());
    assertEquals(4, report.droppedCommits(), "inserts 3 to 6");
    assertTrue(report.lastDroppedCommitEndsLog());
    assertEquals(3, report.acknowledgedDroppedCommits(true), "later writes followed the first three: synced, answered");
    assertEquals(4, report.acknowledgedDroppedCommits(false));
    assertTrue(report.losesAcknowledgedCommits(true));
    String line = report.describe(true);
    assertTrue(line.contains("had " + w.framesFrom(3) + " frames (4 commits) after a damaged frame at offset " + damaged), line);
    assertTrue(line.contains("restore from a backup"), line);
    assertEquals(2, rowsSqliteRecovers(w.db()), "SQLite kept exactly what the report says it keeps");
  }

  @Test
  void aFrameDamagedInItsSaltsEndsTheLogAndTheFramesAfterItStillCount() throws Exception {
    Written w = write("salts", 6);
    long damaged = w.startOf(3);
    flipByte(w.wal(), damaged + 9); // salt-1 of that frame: it looks like an older generation's

    WalRecoveryReport report = WalRecoveryReport.read(w.wal());
    assertEquals(3, report.recoveredCommits());
    assertEquals(damaged, report.damagedFrameOffset());
    assertEquals(w.framesFrom(3) - 1, report.droppedFrames(), "all but the damaged frame, which no longer says whose it is");
    assertEquals(4, report.droppedCommits());
    assertTrue(report.losesAcknowledgedCommits(true));
    assertEquals(2, rowsSqliteRecovers(w.db()));
  }

  @Test
  void framesOfAnOlderGenerationAfterARestartAreNotCountedAsDropped() throws Exception {
    Path live = Files.createDirectories(dir.resolve("restart-live")).resolve("t.db");
    Path copy = Files.createDirectories(dir.resolve("restart")).resolve("t.db");
    Path wal = Path.of(copy + "-wal");
    long oldGeneration;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + live); Statement st = c.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
      st.execute("PRAGMA wal_autocheckpoint=0");
      st.executeUpdate("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)");
      for (int i = 0; i < 6; i++) {
        st.executeUpdate("INSERT INTO t (v) VALUES (randomblob(10000))");
      }
      oldGeneration = Files.size(Path.of(live + "-wal"));
      try (ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(RESTART)")) {
        rs.next();
        assertEquals(0, rs.getInt(1), "the checkpoint copied the whole log");
      }
      st.executeUpdate("INSERT INTO t (v) VALUES (x'01')"); // the new generation: written from the log's beginning
      Files.copy(live, copy);
      Files.copy(Path.of(live + "-wal"), wal);
    }
    assertEquals(oldGeneration, Files.size(wal), "the file kept its size: the older frames are still in it");
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(wal));
    long newFrames = 0;
    while (bytes.getLong(32 + (int) newFrames * FRAME + 8) == bytes.getLong(16)) {
      newFrames++;
    }
    assertTrue(newFrames > 0 && newFrames < 6, "a few frames of the new generation: " + newFrames);

    WalRecoveryReport report = WalRecoveryReport.read(wal);
    assertEquals(newFrames, report.recoveredFrames());
    assertEquals(1, report.recoveredCommits());
    assertEquals(0, report.droppedFrames(), "the older generation's frames have other salts");
    assertEquals(-1, report.damagedFrameOffset());
    assertFalse(report.losesAcknowledgedCommits(false));
    assertEquals(7, rowsSqliteRecovers(copy));
  }

  @Test
  void aDamagedHeaderDropsTheWholeLogAndItsFramesAreStillCounted() throws Exception {
    Written w = write("header", 4);
    flipByte(w.wal(), 25); // the header's checksum
    long frames = (Files.size(w.wal()) - WalRecoveryReport.HEADER_BYTES) / FRAME;

    WalRecoveryReport report = WalRecoveryReport.read(w.wal());
    assertFalse(report.headerValid());
    assertEquals(4096, report.pageSize(), "found from where frame 2 carries frame 1's salts");
    assertEquals(0, report.recoveredFrames());
    assertEquals(frames, report.droppedFrames());
    assertEquals(5, report.droppedCommits());
    assertEquals(4, report.acknowledgedDroppedCommits(true));
    assertTrue(report.losesAcknowledgedCommits(true));
    assertEquals(-1, rowsSqliteRecovers(w.db()), "SQLite ignored the log, the CREATE TABLE in it too");
  }

  @Test
  void aLogWithBigEndianChecksumsIsWalkedInThatOrder() throws Exception {
    Written w = write("big-endian", 3);
    toBigEndianChecksums(w.wal());

    WalRecoveryReport report = WalRecoveryReport.read(w.wal());
    assertEquals(4, report.recoveredCommits());
    assertEquals(0, report.droppedFrames());
    assertEquals(3, rowsSqliteRecovers(w.db()), "SQLite accepts the rewritten log: its checksums are right");
  }

  @Test
  void aMissingOrEmptyLogIsNothingToReport() throws Exception {
    WalRecoveryReport missing = WalRecoveryReport.read(dir.resolve("none.db-wal"));
    assertFalse(missing.hasFrames());
    assertFalse(missing.losesAcknowledgedCommits(false));
    Path empty = Files.createFile(dir.resolve("empty.db-wal"));
    assertFalse(WalRecoveryReport.read(empty).hasFrames());
  }

  /**
   * Rewrites a log as a big-endian machine would have written it (magic 0x377f0683, checksums over big-endian
   * words), so that the other byte order is tried against SQLite too.
   */
  private static void toBigEndianChecksums(Path wal) throws Exception {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(wal));
    assertEquals(0x377f0682, bytes.getInt(0), "this machine writes little-endian checksums");
    bytes.putInt(0, 0x377f0683);
    int[] sum = new int[2];
    WalRecoveryReport.checksum(bytes, 0, 24, ByteOrder.BIG_ENDIAN, sum);
    bytes.putInt(24, sum[0]).putInt(28, sum[1]);
    for (int offset = 32; offset + FRAME <= bytes.capacity(); offset += FRAME) {
      WalRecoveryReport.checksum(bytes, offset, offset + 8, ByteOrder.BIG_ENDIAN, sum);
      WalRecoveryReport.checksum(bytes, offset + 24, offset + FRAME, ByteOrder.BIG_ENDIAN, sum);
      bytes.putInt(offset + 16, sum[0]).putInt(offset + 20, sum[1]);
    }
    assertNotEquals(0, sum[0]);
    Files.write(wal, bytes.array());
  }
}
