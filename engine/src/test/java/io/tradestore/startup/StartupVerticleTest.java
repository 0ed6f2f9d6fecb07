package io.tradestore.startup;

import io.tradestore.support.ShippedMigrations;
import io.tradestore.support.RunningEngine;
import io.tradestore.support.TestEngineConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class StartupVerticleTest {
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(RunningEngine running, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.config.http().port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int count(Path db, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getInt(1) : -1;
    }
  }

  @Test
  void aFreshStartCreatesAnOwnerOnlyDatabaseAndAppliesTheSchema() throws Exception {
    try (RunningEngine running = RunningEngine.start(dir)) {
      Path db = running.config.database().path();
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db.getParent())));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db)));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(db + "-wal"))));
      assertEquals(ShippedMigrations.latestVersion(), count(db, "SELECT max(version) FROM schema_migrations"));
      assertEquals(1, count(db, "SELECT count(*) FROM sqlite_master WHERE name = 'outbox'"));
    }
  }

  @Test
  void healthIsUpWithDatabaseDetailsAndLivenessAnswers() throws Exception {
    try (RunningEngine running = RunningEngine.start(dir)) {
      HttpResponse<String> health = get(running, "/health");
      assertEquals(200, health.statusCode(), health.body());
      JsonObject body = new JsonObject(health.body());
      assertEquals("UP", body.getString("status"), body.encode());
      String text = body.encode();
      assertTrue(text.contains("\"journalMode\":\"wal\""), text);
      assertTrue(text.contains("\"foreignKeys\":true"), text);
      assertTrue(text.contains("\"schemaVersion\":" + ShippedMigrations.latestVersion() + ","), text);
      assertEquals(200, get(running, "/health/ready").statusCode());
      assertEquals(200, get(running, "/health/live").statusCode());
    }
  }

  @Test
  void metricsAreServedInPrometheusTextFormat() throws Exception {
    try (RunningEngine running = RunningEngine.start(dir)) {
      running.engine.vertx().eventBus().request("trading.engine.info", new JsonObject()).await(5, TimeUnit.SECONDS);
      HttpResponse<String> metrics = get(running, "/metrics");
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
      String body = metrics.body();
      assertTrue(body.contains("# TYPE tradestore_writer_queue_depth gauge"), body);
      assertTrue(body.contains("tradestore_schema_version " + ShippedMigrations.latestVersion() + ".0"), body);
      assertTrue(body.contains("jvm_memory_used_bytes"), "JVM metrics");
      assertTrue(body.contains("process_uptime_seconds"), "process metrics");
      assertTrue(body.contains("vertx_eventbus_processed_total{address=\"trading.engine.info\""), "event-bus metrics by address");
    }
  }

  @Test
  void onLinuxTheEventLoopsRunOnTheShippedEpollTransport() throws Exception {
    String arch = System.getProperty("os.arch");
    assumeTrue(System.getProperty("os.name").startsWith("Linux") && (arch.equals("amd64") || arch.equals("aarch64")),
        "the native library is shipped for Linux x86_64 and aarch64 only");
    try (RunningEngine running = RunningEngine.start(dir)) {
      assertTrue(running.engine.vertx().isNativeTransportEnabled());
      assertEquals("epoll", engineInfo(running).getString("transport"));
    }
  }

  @Test
  void withPreferNativeTransportOffTheEventLoopsRunOnJavaNio() throws Exception {
    try (RunningEngine running = RunningEngine.start(dir, Map.of("vertx.preferNativeTransport", false))) {
      assertFalse(running.engine.vertx().isNativeTransportEnabled());
      assertEquals("nio", engineInfo(running).getString("transport"));
    }
  }

  @Test
  void engineInfoGivesStartedAtToTheMillisecondLikeEveryOtherTime() throws Exception {
    try (RunningEngine running = RunningEngine.start(dir)) {
      String startedAt = engineInfo(running).getString("startedAt");
      assertTrue(startedAt.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{3})?Z"), startedAt);
    }
  }

  private static JsonObject engineInfo(RunningEngine running) throws Exception {
    return (JsonObject) running.engine.vertx().eventBus().request("trading.engine.info", new JsonObject())
        .await(5, TimeUnit.SECONDS).body();
  }

  @Test
  void withAutoMigrateOffPendingMigrationsRefuseToStartAndNothingIsWritten() {
    RuntimeException error = assertThrows(RuntimeException.class,
        () -> RunningEngine.start(dir, Map.of("migrations.autoMigrate", false)));
    assertTrue(error.getMessage().contains("pending"), error.getMessage());
    assertTrue(error.getMessage().contains("migrate up"), error.getMessage());
  }

  @Test
  void aSecondStartOnTheSameDatabaseAppliesNothingAndKeepsTheData() throws Exception {
    Path db;
    try (RunningEngine first = RunningEngine.start(dir)) {
      db = first.config.database().path();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO balances (account, asset, available, locked, total, as_of, updated_at) "
          + "VALUES ('a', 'USDT', '0.1', '0.2', '0.3', 0, 0)");
    }
    try (RunningEngine second = RunningEngine.start(dir, Map.of("migrations.autoMigrate", false))) {
      assertEquals(ShippedMigrations.count(), count(db, "SELECT count(*) FROM schema_migrations"));
      assertEquals(1, count(db, "SELECT count(*) FROM balances WHERE total = '0.3'"));
    }
  }

  @Test
  void aPortAlreadyInUseFailsTheStartAndReleasesTheDatabase() throws Exception {
    int port = TestEngineConfig.freePort();
    try (java.net.ServerSocket taken = new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertThrows(RuntimeException.class, () -> RunningEngine.start(dir, Map.of("bridge.port", port)));
    }
    Path db = dir.resolve("data/tradestore.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      st.executeUpdate("BEGIN IMMEDIATE"); // would fail with SQLITE_BUSY if the failed engine still held a writer
      st.executeUpdate("ROLLBACK");
    }
    assertFalse(Files.exists(Path.of(db + "-wal")) && Files.size(Path.of(db + "-wal")) > 0,
        "the failed start closed the database cleanly");
  }
}
