package io.tradestore.store.migration;

import io.tradestore.support.EngineProcess;
import io.tradestore.support.TestEngineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tradestore.store.migration.MigrationFixtures.connect;
import static io.tradestore.store.migration.MigrationFixtures.execute;
import static io.tradestore.store.migration.MigrationFixtures.history;
import static io.tradestore.store.migration.MigrationFixtures.migration;
import static io.tradestore.store.migration.MigrationFixtures.scalar;
import static io.tradestore.store.migration.MigrationFixtures.schema;
import static io.tradestore.store.migration.MigrationFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Separate JVMs running {@code MigrateCommand}, as operators and deployments start it. */
class MigrationProcessTest {
  @TempDir
  Path tmp;

  private Process start(Path workDir, String name, List<String> jvmOptions, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
    // each JVM unpacks sqlite-jdbc's native library into a folder of its own: in a shared /tmp, processes
    // starting together delete each other's copies and log a NoSuchFileException
    Path natives = Files.createDirectories(workDir.resolve("natives-" + name));
    command.add("-Dorg.sqlite.tmpdir=" + natives);
    command.addAll(jvmOptions);
    command.add("io.tradestore.cli.MigrateCommand");
    command.addAll(List.of(args));
    return new ProcessBuilder(command).directory(workDir.toFile())
        .redirectOutput(workDir.resolve(name + ".out").toFile())
        .redirectError(workDir.resolve(name + ".err").toFile())
        .start();
  }

  @Test
  void fourProcessesStartingAtOnceApplyEachMigrationExactlyOnce() throws Exception {
    Path dir = tmp.resolve("migrations");
    write(dir, "001_t.sql", migration("CREATE TABLE t(x);", "DROP TABLE t;"));
    write(dir, "002_seed.sql", migration("INSERT INTO t VALUES (1);", "DELETE FROM t;")); // not idempotent
    write(dir, "003_u.sql", migration("CREATE TABLE u(y);\nINSERT INTO u SELECT x FROM t;", "DROP TABLE u;"));
    for (int round = 1; round <= 3; round++) {
      Path work = Files.createDirectories(tmp.resolve("round" + round));
      Path db = work.resolve("race.db");
      List<Process> processes = new ArrayList<>();
      for (int p = 0; p < 4; p++) {
        processes.add(start(work, "p" + p, List.of(), "up", "--db", db.toString(), "--dir", dir.toString()));
      }
      for (int p = 0; p < 4; p++) {
        assertTrue(processes.get(p).waitFor(60, TimeUnit.SECONDS), "process finished");
        String err = Files.readString(work.resolve("p" + p + ".err"));
        assertEquals(0, processes.get(p).exitValue(), "round " + round + " process " + p + ": " + err);
        assertTrue(!err.contains("BUSY") && !err.contains("Exception"), err);
      }
      assertEquals(1, scalar(db, "SELECT count(*) FROM t"));
      assertEquals(1, scalar(db, "SELECT count(*) FROM u"));
      assertEquals(3, scalar(db, "SELECT count(*) FROM schema_migrations WHERE status = 'SUCCESS'"));
      assertEquals(3, scalar(db, "PRAGMA user_version"));
      try (Connection c = connect(db); Statement st = c.createStatement()) {
        st.executeUpdate("PRAGMA busy_timeout = 0"); // no lingering write lock may make this wait
        st.executeUpdate("BEGIN IMMEDIATE");
        st.executeUpdate("INSERT INTO t VALUES (2)");
        st.executeUpdate("COMMIT");
      }
    }
  }

  /** Run in a folder of its own: what a new user does with the jar, in a folder that has no ./migrations yet. */
  @Test
  void createStatusUpAndTheEngineAgreeOnWhereMigrationsLiveAndCreateNeverTakesAShippedVersion() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("fresh"));
    Process create = start(work, "create", List.of(), "create", "add desk limits");
    assertTrue(create.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, create.exitValue(), Files.readString(work.resolve("create.err")));
    int version = io.tradestore.support.ShippedMigrations.latestVersion() + 1;
    String file = String.format("%03d_add_desk_limits.sql", version);
    assertEquals("created ./migrations/" + file, Files.readString(work.resolve("create.out")).strip());
    assertTrue(Files.exists(work.resolve("migrations").resolve(file)));

    Process status = start(work, "status", List.of(), "status", "--db", "t.db");
    assertTrue(status.waitFor(60, TimeUnit.SECONDS));
    String listed = Files.readString(work.resolve("status.out"));
    assertEquals(0, status.exitValue(), Files.readString(work.resolve("status.err")));
    assertTrue(listed.lines().anyMatch(l -> l.matches(version + " +add_desk_limits +PENDING .*")), listed);
    assertTrue(listed.contains("(migrations: classpath:migrations + ./migrations)"), listed);

    Process up = start(work, "up", List.of(), "up", "--db", "t.db");
    assertTrue(up.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, up.exitValue(), Files.readString(work.resolve("up.err")));
    // the engine, started in the same folder, reads the same files: the version migrate applied does not stop it
    EngineProcess engine = EngineProcess.start(work, Map.of("TRADESTORE_HTTP_PORT", String.valueOf(TestEngineConfig.freePort()),
        "TRADESTORE_BRIDGE_PORT", String.valueOf(TestEngineConfig.freePort())), "--db", "t.db");
    try {
      engine.awaitOutput("ready in", Duration.ofSeconds(30));
    } finally {
      engine.kill(Duration.ofSeconds(30));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"WAL", "DELETE"})
  void processKilledMidMigrationLeavesThePreMigrationStateAndTheMigrationAppliesOnRestart(String journalMode) throws Exception {
    Path dir = tmp.resolve("migrations");
    Path db = tmp.resolve("crash.db");
    write(dir, "001_config.sql", migration("CREATE TABLE crash_config(n INTEGER);\nINSERT INTO crash_config VALUES (50000000);", ""));
    write(dir, "002_big.sql", migration("""
        CREATE TABLE big(i INTEGER, s TEXT);
        INSERT INTO big
          WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < (SELECT n FROM crash_config))
          SELECT i, printf('%08d-padding-padding', i) FROM c;""", "DROP TABLE big;"));
    List<String> options = List.of("-Dtradestore.database.journalMode=" + journalMode,
        "-Dorg.slf4j.simpleLogger.log.io.tradestore.store.migration=debug");
    Process p = start(tmp, "crash", options, "up", "--db", db.toString(), "--dir", dir.toString());
    Path err = tmp.resolve("crash.err");
    long deadline = System.currentTimeMillis() + 30_000;
    while (!Files.readString(err).contains("applying 002_big.sql") && System.currentTimeMillis() < deadline && p.isAlive()) {
      Thread.sleep(20);
    }
    Thread.sleep(400);
    assertTrue(p.isAlive(), "still inside the big INSERT: " + Files.readString(err));
    p.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback by the process
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));

    assertEquals(List.of("1|config"), history(db).stream().map(r -> r.substring(0, r.indexOf("|sha"))).toList());
    assertEquals(1, scalar(db, "PRAGMA user_version"));
    assertEquals(0, scalar(db, "SELECT count(*) FROM sqlite_master WHERE name = 'big'"));
    List<String> afterCrash = schema(db);

    execute(db, "UPDATE crash_config SET n = 1000"); // keeps the restart short; the file is unchanged
    Process restart = start(tmp, "restart", options, "up", "--db", db.toString(), "--dir", dir.toString());
    assertTrue(restart.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, restart.exitValue(), Files.readString(tmp.resolve("restart.err")));
    assertEquals(1000, scalar(db, "SELECT count(*) FROM big"));
    assertEquals(2, scalar(db, "PRAGMA user_version"));
    assertTrue(schema(db).size() > afterCrash.size());
  }
}
