package io.tradestore.startup;

import io.tradestore.support.EngineProcess;
import io.tradestore.support.TestEngineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine started on the database and log a crash would leave, with a frame in the middle of the log damaged:
 * SQLite's recovery drops every commit after it without a word, and the engine says so in its log and metrics.
 */
class WalRecoveryStartupTest {
  private static final int FRAME = 4096 + 24;
  private static final int INSERTS = 8;
  private static final int DAMAGED_INSERT = 4;
  @TempDir Path dir;

  @Test
  void aLogDamagedInTheMiddleIsReportedAtStartupAndInTheMetrics() throws Exception {
    Path db = dir.resolve("crashed/trades.db");
    Path wal = Path.of(db + "-wal");
    List<Long> commitEnds = writeAndCopyBeforeTheLogIsCheckpointed(db);
    long damaged = commitEnds.get(DAMAGED_INSERT - 2); // where the third insert ended: the fourth's first frame
    try (RandomAccessFile file = new RandomAccessFile(wal.toFile(), "rw")) {
      file.seek(damaged + 24 + 2000); // inside its page: its header, salts and commit mark, stays readable
      int b = file.read();
      file.seek(damaged + 24 + 2000);
      file.write(b ^ 0x01);
    }
    long droppedFrames = (Files.size(wal) - damaged) / FRAME;
    int droppedCommits = INSERTS - DAMAGED_INSERT + 1;

    int httpPort = TestEngineConfig.freePort();
    EngineProcess engine = EngineProcess.start(dir, Map.of("TRADESTORE_HTTP_PORT", String.valueOf(httpPort),
        "TRADESTORE_BRIDGE_PORT", String.valueOf(TestEngineConfig.freePort())), "--db", db.toString());
    try {
      engine.awaitOutput("ready in", Duration.ofSeconds(30));
      String output = engine.output();
      String warning = output.lines().filter(l -> l.contains("after a damaged frame")).findFirst()
          .orElseThrow(() -> new AssertionError("no warning about the damaged log:\n" + output));
      assertTrue(warning.contains("WARN"), warning);
      assertTrue(warning.contains("had " + droppedFrames + " frames (" + droppedCommits + " commits) after a damaged frame "
          + "at offset " + damaged), warning);
      assertTrue(warning.contains("restore from a backup"), warning);
      // the recovered state is an older, consistent one: SQLite's quick_check finds nothing wrong with it
      assertTrue(output.contains("startup: integrity check done"), output);

      String metrics = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertEquals(droppedFrames, sample(metrics, "tradestore_wal_recovery_dropped_frames"), metrics);
      // at the default synchronous FULL the last of them may have been cut before its answer; the others were answered
      assertEquals(droppedCommits - 1, sample(metrics, "tradestore_wal_recovery_dropped_commits"), metrics);

      assertEquals(DAMAGED_INSERT - 1, balances(db), "the commits from the damaged frame on are gone");
    } finally {
      engine.process.destroy();
      assertEquals(0, engine.awaitExit(Duration.ofSeconds(30)), engine.output());
    }
  }

  /**
   * The engine's schema (migrate up), then {@link #INSERTS} balances, one per transaction, with checkpoints off; the
   * database and its log are copied to {@code db} before the connection closes, as a crash would leave them.
   * Answers the log's size after each insert.
   */
  private List<Long> writeAndCopyBeforeTheLogIsCheckpointed(Path db) throws Exception {
    Path live = dir.resolve("live/trades.db");
    EngineProcess migrate = EngineProcess.start(dir, Map.of(), "migrate", "up", "--db", live.toString());
    assertEquals(0, migrate.awaitExit(Duration.ofSeconds(30)), migrate.output());
    List<Long> commitEnds = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + live); Statement st = c.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
      st.execute("PRAGMA wal_autocheckpoint=0");
      for (int i = 1; i <= INSERTS; i++) {
        st.executeUpdate("INSERT INTO balances (account, asset, available, locked, total, as_of, updated_at) "
            + "VALUES ('desk-" + i + "', 'BTC', '1', '0', '1', 0, 0)");
        commitEnds.add(Files.size(Path.of(live + "-wal")));
      }
      Files.createDirectories(db.getParent());
      Files.copy(live, db);
      Files.copy(Path.of(live + "-wal"), Path.of(db + "-wal"));
    }
    assertEquals(INSERTS, commitEnds.stream().distinct().count(), "each insert wrote frames of its own");
    return commitEnds;
  }

  private static long balances(Path db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(*) FROM balances")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long sample(String exposition, String name) {
    return exposition.lines().filter(l -> l.startsWith(name + " ")).findFirst()
        .map(l -> (long) Double.parseDouble(l.substring(name.length() + 1).trim()))
        .orElseThrow(() -> new AssertionError("no sample of " + name));
  }
}
