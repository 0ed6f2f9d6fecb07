package io.tradestore.cli;

import io.tradestore.support.EngineProcess;
import io.tradestore.support.Repository;
import io.tradestore.support.ShippedMigrations;
import io.tradestore.support.TestEngineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine as an operator runs it: a separate process, configured by environment, stopped by a signal. */
class EngineProcessTest {
  @TempDir Path dir;

  private Map<String, String> ports(int http) {
    return Map.of("TRADESTORE_HTTP_PORT", String.valueOf(http),
        "TRADESTORE_BRIDGE_PORT", String.valueOf(TestEngineConfig.freePort()));
  }

  @Test
  void sigtermStopsGracefullyWithExitZeroAndACheckpointedDatabase() throws Exception {
    int httpPort = TestEngineConfig.freePort();
    EngineProcess engine = EngineProcess.start(dir, ports(httpPort), "--db", "db/trades.db");
    engine.awaitOutput("ready in", Duration.ofSeconds(30));
    HttpResponse<String> health = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode(), "the environment variable set the HTTP port: " + health.body());

    engine.process.destroy(); // SIGTERM
    assertEquals(0, engine.awaitExit(Duration.ofSeconds(30)), engine.output());
    String output = engine.output();
    assertTrue(output.contains("stopped in"), output);
    Path db = dir.resolve("db/trades.db");
    Path wal = Path.of(db + "-wal");
    assertFalse(Files.exists(wal) && Files.size(wal) > 0, "WAL checkpointed on stop");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT max(version) FROM schema_migrations")) {
      assertTrue(rs.next());
      assertEquals(ShippedMigrations.latestVersion(), rs.getInt(1));
    }
  }

  @Test
  void theEngineLoadsSqlitesLibraryFromTheUsersCacheAndExtractsNoTemporaryCopy() throws Exception {
    EngineProcess engine = EngineProcess.start(dir, ports(TestEngineConfig.freePort()), "--db", "trades.db");
    try {
      engine.awaitOutput("ready in", Duration.ofSeconds(30));
      String mapped = Files.readAllLines(Path.of("/proc", String.valueOf(engine.process.pid()), "maps")).stream()
          .filter(line -> line.endsWith("libsqlitejdbc.so")).map(line -> line.substring(line.indexOf('/')))
          .findFirst().orElseThrow(() -> new AssertionError("no sqlite library mapped"));
      assertTrue(mapped.matches(".*/natives-\\d+/cache/sqlite-jdbc-[^/]+/libsqlitejdbc\\.so"), mapped);
      Path natives = Path.of(mapped).getParent().getParent().getParent();
      try (var files = Files.list(natives)) {
        assertEquals(List.of(), files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("sqlite-")).toList(),
            "sqlite-jdbc's own extraction (org.sqlite.tmpdir) did not run");
      }
    } finally {
      engine.process.destroy();
      engine.awaitExit(Duration.ofSeconds(30));
    }
  }

  @Test
  void aCleanStopLetsTheNextStartSkipTheIntegrityCheckAndAKilledRunDoesNot() throws Exception {
    Path db = dir.resolve("trades.db");
    Path marker = Path.of(db + ".clean");
    EngineProcess first = EngineProcess.start(dir, ports(TestEngineConfig.freePort()), "--db", db.toString());
    first.awaitOutput("ready in", Duration.ofSeconds(30));
    first.process.destroy(); // SIGTERM: a clean stop
    assertEquals(0, first.awaitExit(Duration.ofSeconds(30)), first.output());
    assertTrue(Files.exists(marker), "the clean stop was recorded");

    EngineProcess second = EngineProcess.start(dir, ports(TestEngineConfig.freePort()), "--db", db.toString());
    second.awaitOutput("ready in", Duration.ofSeconds(30));
    assertTrue(second.output().contains("integrity check skipped"), second.output());
    assertFalse(Files.exists(marker), "removed at start, so that a crash leaves none");
    second.process.destroyForcibly(); // SIGKILL
    second.awaitExit(Duration.ofSeconds(30));
    assertFalse(Files.exists(marker));

    EngineProcess third = EngineProcess.start(dir, ports(TestEngineConfig.freePort()), "--db", db.toString());
    third.awaitOutput("ready in", Duration.ofSeconds(30));
    assertFalse(third.output().contains("integrity check skipped"), third.output());
    assertTrue(third.output().contains("startup: integrity check done"), third.output());
    third.process.destroy();
    assertEquals(0, third.awaitExit(Duration.ofSeconds(30)), third.output());
  }

  @Test
  void aDatabaseDamagedAfterACleanStopIsStillCheckedAndRefused() throws Exception {
    Path db = dir.resolve("trades.db");
    EngineProcess first = EngineProcess.start(dir, ports(TestEngineConfig.freePort()), "--db", db.toString());
    first.awaitOutput("ready in", Duration.ofSeconds(30));
    first.process.destroy();
    assertEquals(0, first.awaitExit(Duration.ofSeconds(30)), first.output());
    assertTrue(Files.exists(Path.of(db + ".clean")));
    try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(db.toFile(), "rw")) {
      file.seek(4096); // past the header: the pages of the schema's tables and indexes
      byte[] garbage = new byte[(int) Math.min(file.length() - 4096, 16 * 4096)];
      java.util.Arrays.fill(garbage, (byte) 0x5A);
      file.write(garbage);
    }
    EngineProcess second = EngineProcess.start(dir, ports(TestEngineConfig.freePort()), "--db", db.toString());
    assertEquals(ExitCodes.FAILURE, second.awaitExit(Duration.ofSeconds(30)), second.output());
    assertTrue(second.output().contains("restore it from a backup"), second.output());
  }

  @Test
  void anInvalidEnvironmentValueStopsStartupNamingTheKey() throws Exception {
    Map<String, String> env = new java.util.HashMap<>(ports(TestEngineConfig.freePort()));
    env.put("TRADESTORE_DATABASE_SYNCHRONOUS", "SOMETIMES");
    EngineProcess engine = EngineProcess.start(dir, env, "--db", "trades.db");
    assertEquals(ExitCodes.CONFIGURATION, engine.awaitExit(Duration.ofSeconds(30)));
    String output = engine.output();
    assertTrue(output.contains("database.synchronous='SOMETIMES'"), output);
    assertFalse(output.contains("\tat "), "no stack trace for a configuration mistake:\n" + output);
    assertFalse(Files.exists(dir.resolve("trades.db")), "nothing was created");
  }

  @Test
  void aConfigurationFileThatDoesNotParseStopsStartupWithExitTwoAndOneLine() throws Exception {
    Path conf = Files.writeString(dir.resolve("broken.yaml"), "database: [\n");
    EngineProcess engine = EngineProcess.start(dir, ports(TestEngineConfig.freePort()), "--conf", conf.toString(),
        "--db", "trades.db");
    assertEquals(ExitCodes.CONFIGURATION, engine.awaitExit(Duration.ofSeconds(30)));
    String output = engine.output();
    // the parser's reason, several lines with a caret, on the one line that says the start failed. (Only that line:
    // ConfigOptions.load() closes its Vert.x instance as the failure arrives, which may log a RejectedExecutionException
    // from the file store's late completion; that race goes with the Vert.x-free loading of issue 22, item 13.)
    String line = output.lines().filter(l -> l.contains("cannot start:")).findFirst().orElseThrow(() -> new AssertionError(output));
    assertTrue(line.endsWith("cannot start: cannot read the configuration " + conf + ": while parsing a flow node in 'string', "
        + "line 2, column 1: expected the node content, but found '<stream end>'"), output);
    assertFalse(output.lines().anyMatch(l -> l.strip().equals("^")), output);
  }

  @Test
  void aDamagedDatabaseFileRefusesToStartWithExitOne() throws Exception {
    Path db = dir.resolve("trades.db");
    Files.write(db, "this is not an SQLite database, it is a text file that got in the way".repeat(100).getBytes());
    EngineProcess engine = EngineProcess.start(dir, ports(TestEngineConfig.freePort()), "--db", db.toString());
    assertEquals(ExitCodes.FAILURE, engine.awaitExit(Duration.ofSeconds(30)));
    assertTrue(engine.output().contains("restore it from a backup"), engine.output());
  }

  @Test
  void backupWritesAConsistentCopyThatOpensAndHoldsTheData() throws Exception {
    Path db = dir.resolve("trades.db");
    EngineProcess migrate = EngineProcess.start(dir, Map.of(), "migrate", "up", "--db", db.toString());
    assertEquals(0, migrate.awaitExit(Duration.ofSeconds(30)), migrate.output());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      st.executeUpdate("PRAGMA journal_mode=WAL");
      st.executeUpdate("INSERT INTO balances (account, asset, available, locked, total, as_of, updated_at) "
          + "VALUES ('desk', 'BTC', '1.5', '0.25', '1.75', 0, 0)");
      // this connection stays open, so the row sits in the WAL: a plain file copy would miss it
      Path out = dir.resolve("copies/backup.db");
      EngineProcess backup = EngineProcess.start(dir, Map.of(), "backup", "--db", db.toString(), "--out", out.toString());
      assertEquals(0, backup.awaitExit(Duration.ofSeconds(30)), backup.output());
      assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
      try (Connection copy = DriverManager.getConnection("jdbc:sqlite:" + out); Statement cs = copy.createStatement();
           ResultSet rs = cs.executeQuery("SELECT total FROM balances WHERE account = 'desk'")) {
        assertTrue(rs.next());
        assertEquals("1.75", rs.getString(1));
      }
    }
  }

  @Test
  void optionsGivenBeforeTheSubcommandApplyToIt() throws Exception {
    EngineProcess migrate = EngineProcess.start(dir, Map.of(), "--db", "before/trades.db", "migrate", "up");
    assertEquals(0, migrate.awaitExit(Duration.ofSeconds(30)), migrate.output());
    assertTrue(Files.exists(dir.resolve("before/trades.db")), migrate.output());
    assertFalse(Files.exists(dir.resolve("data/tradestore.db")), "the default database was not touched");
  }

  /** The shipped migrations plus one more, as a newer build would ship them. */
  private Path migrationsWithOneMore() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("newer-migrations"));
    try (var shipped = Files.list(Repository.path("migrations"))) {
      for (Path file : shipped.filter(p -> p.getFileName().toString().endsWith(".sql")).toList()) {
        Files.copy(file, folder.resolve(file.getFileName()));
      }
    }
    int next = ShippedMigrations.latestVersion() + 1;
    Files.writeString(folder.resolve(String.format("%03d_newer_build.sql", next)),
        "-- a newer build's table\n-- migrate:up\nCREATE TABLE newer_build (x INTEGER);\n-- migrate:down\nDROP TABLE newer_build;\n");
    return folder;
  }

  private static int schemaVersion(Path db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT max(version) FROM schema_migrations")) {
      assertTrue(rs.next());
      return rs.getInt(1);
    }
  }

  private static int readyStatus(int httpPort) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void aSecondEngineWithANewerMigrationRefusesBeforeTouchingTheLiveDatabase() throws Exception {
    int httpPort = TestEngineConfig.freePort();
    Path db = dir.resolve("live.db");
    EngineProcess first = EngineProcess.start(dir, ports(httpPort), "--db", db.toString());
    try {
      first.awaitOutput("ready in", Duration.ofSeconds(30));
      Path backups = dir.resolve("second-backups");
      Map<String, String> env = new java.util.HashMap<>(ports(TestEngineConfig.freePort()));
      env.put("TRADESTORE_MIGRATIONS_LOCATION", migrationsWithOneMore().toString());
      env.put("TRADESTORE_MIGRATIONS_BACKUP_DIRECTORY", backups.toString());
      EngineProcess second = EngineProcess.start(dir, env, "--db", db.toString());
      assertEquals(ExitCodes.FAILURE, second.awaitExit(Duration.ofSeconds(30)), second.output());
      String output = second.output();
      assertTrue(output.contains("another tradestore process is using") && output.contains("live.db.lock"), output);
      assertFalse(output.contains("startup: integrity check") || output.contains("startup: migrations"),
          "refused before the integrity check and the migrations:\n" + output);

      assertEquals(ShippedMigrations.latestVersion(), schemaVersion(db), "the newer migration was not applied");
      assertFalse(Files.exists(backups), "no backup was taken");
      assertEquals(200, readyStatus(httpPort), "the running engine still serves at its schema version");
    } finally {
      first.process.destroy();
      assertEquals(0, first.awaitExit(Duration.ofSeconds(30)), first.output());
    }
  }

  @Test
  void aSymlinkOrASymlinkedFolderToTheLiveDatabaseDoesNotGetPastTheEngineLock() throws Exception {
    Path db = dir.resolve("engine.db");
    EngineProcess first = EngineProcess.start(dir, ports(TestEngineConfig.freePort()), "--db", db.toString());
    try {
      first.awaitOutput("ready in", Duration.ofSeconds(30));
      Path newer = migrationsWithOneMore();
      Files.createSymbolicLink(dir.resolve("link.db"), Path.of("engine.db"));
      Files.createSymbolicLink(dir.resolve("linked-folder"), dir);
      for (String path : new String[] {"link.db", "linked-folder/engine.db"}) {
        EngineProcess up = EngineProcess.start(dir, Map.of(), "migrate", "up", "--db", path, "--dir", newer.toString());
        assertEquals(1, up.awaitExit(Duration.ofSeconds(30)), up.output());
        assertTrue(up.output().contains("stop it first") && up.output().contains("engine.db.lock"), up.output());
        assertEquals(ShippedMigrations.latestVersion(), schemaVersion(db), path + " changed the schema");
      }
      assertFalse(Files.exists(dir.resolve("link.db.lock")), "the lock follows the real file, not the link");
    } finally {
      first.process.destroy();
      assertEquals(0, first.awaitExit(Duration.ofSeconds(30)), first.output());
    }
  }

  @Test
  void aSecondEngineOnTheSameDatabaseRefusesToStartAndSchemaToolsWait() throws Exception {
    int httpPort = TestEngineConfig.freePort();
    EngineProcess first = EngineProcess.start(dir, ports(httpPort), "--db", "shared.db");
    try {
      first.awaitOutput("ready in", Duration.ofSeconds(30));
      EngineProcess second = EngineProcess.start(dir, ports(TestEngineConfig.freePort()), "--db", "shared.db");
      assertEquals(ExitCodes.FAILURE, second.awaitExit(Duration.ofSeconds(30)), second.output());
      assertTrue(second.output().contains("another tradestore process is using"), second.output());

      EngineProcess down = EngineProcess.start(dir, Map.of(), "migrate", "down", "--db", "shared.db");
      assertEquals(1, down.awaitExit(Duration.ofSeconds(30)), down.output());
      assertTrue(down.output().contains("stop it first"), down.output());
    } finally {
      first.process.destroy();
      assertEquals(0, first.awaitExit(Duration.ofSeconds(30)), first.output());
    }
  }
}
