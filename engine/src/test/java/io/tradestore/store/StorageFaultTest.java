package io.tradestore.store;

import io.tradestore.Addresses;
import io.tradestore.bridge.BridgeClient;
import io.tradestore.support.Bus;
import io.tradestore.support.EngineProcess;
import io.tradestore.support.RunningEngine;
import io.tradestore.support.TestEngineConfig;
import io.tradestore.support.Tmpfs;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.tradestore.support.Trading.fill;
import static io.tradestore.support.Trading.id;
import static io.tradestore.support.Trading.limit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The storage failing under a running engine, as an operator meets it: a real engine process on a real small disk
 * that fills up, its clients on the TCP bridge, its health and metrics over HTTP, its log in a file; the database
 * file deleted under a running engine, and the start that follows.
 */
class StorageFaultTest {
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aFullDiskIsA503StorageFullWithAFewLogLinesAndWritesResumeWithoutRestartOnceSpaceReturns() throws Exception {
    try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), "8m")) {
      int httpPort = TestEngineConfig.freePort();
      int bridgePort = TestEngineConfig.freePort();
      EngineProcess engine = EngineProcess.start(dir, Map.of("TRADESTORE_HTTP_PORT", String.valueOf(httpPort),
          "TRADESTORE_BRIDGE_PORT", String.valueOf(bridgePort)), "--db", disk.mountPoint.resolve("tradestore.db").toString());
      try {
        engine.awaitOutput("ready in", Duration.ofSeconds(30));
        try (BridgeClient client = new BridgeClient("127.0.0.1", bridgePort)) {
          client.readTimeout(Duration.ofSeconds(15));
          assertEquals("message", placeOrder(client).getString("type"));
          long linesBefore = engine.output().lines().count();

          Path filler = disk.mountPoint.resolve("filler");
          disk.fill(filler);
          // the log's last allocated page may still take a command or two
          JsonObject refused = null;
          for (int i = 0; i < 200 && refused == null; i++) {
            JsonObject reply = placeOrder(client);
            refused = "err".equals(reply.getString("type")) ? reply : null;
          }
          assertNotNull(refused, "a write on a full disk was refused");
          assertStorageFull(refused);
          // the failing period. A write may still succeed now and then, honestly: the -wal pages that a failed
          // commit allocated are there for the next one, which fits when it is smaller (no outbox marks in it)
          int full = 0;
          for (int i = 0; i < 300; i++) {
            JsonObject reply = placeOrder(client);
            if ("err".equals(reply.getString("type"))) {
              assertStorageFull(reply);
              full++;
            }
          }
          assertTrue(full >= 270, full + " of 300 writes on a full disk refused");
          // not ready while the last write failed (retried: a write that fits in between makes it ready, rightly)
          HttpResponse<String> ready = null;
          for (int i = 0; i < 20 && (ready == null || ready.statusCode() != 503); i++) {
            if ("err".equals(placeOrder(client).getString("type"))) {
              ready = get(httpPort, "/health/ready");
            }
          }
          assertNotNull(ready);
          assertEquals(503, ready.statusCode(), ready.body());
          assertTrue(ready.body().contains("STORAGE_FULL") && ready.body().contains("is full"), ready.body());
          String metrics = get(httpPort, "/metrics").body();
          assertTrue(metrics.lines().anyMatch(l -> l.startsWith("tradestore_storage_faults_total{code=\"STORAGE_FULL\"")
              && !l.endsWith(" 0.0")), metrics);

          String failing = engine.output().lines().skip(linesBefore).reduce("", (a, b) -> a + b + "\n");
          assertTrue(failing.lines().count() <= 5, "a handful of log lines for 300 failed writes, not one per write:\n" + failing);
          assertFalse(failing.contains("\tat "), "no stack trace for a full disk:\n" + failing);
          assertTrue(failing.contains("is full"), failing);

          Files.delete(filler);
          assertEquals("message", placeOrder(client).getString("type"), "writes succeed again once there is room");
          assertEquals(200, get(httpPort, "/health/ready").statusCode(), "ready again without a restart");
        }
        engine.process.destroy();
        assertEquals(0, engine.awaitExit(Duration.ofSeconds(30)), engine.output());
      } finally {
        engine.process.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void aDatabaseFileDeletedUnderTheEngineStopsItsWritesAndTheRestartRefusesToBeginAFreshOne() throws Exception {
    Path db;
    Path wal;
    try (RunningEngine running = RunningEngine.start(dir)) {
      db = running.config.database().path();
      wal = Path.of(db + "-wal");
      Bus bus = new Bus(running.engine.vertx());
      String orderId = id("o");
      bus.ok(Addresses.ORDERS_PLACE, limit(orderId, "desk", "BTCUSDT", "BUY", "2", "100"));

      Files.delete(db);
      JsonObject refused = bus.refused(Addresses.ORDERS_PLACE, limit(id("o"), "desk", "BTCUSDT", "BUY", "1", "100"), 503);
      assertEquals("STORAGE_UNAVAILABLE", refused.getString("error"), refused.encode());
      assertTrue(refused.getString("message").contains("the database file " + db.toAbsolutePath() + " was deleted"),
          refused.encode());
      assertTrue(refused.getString("message").contains("/proc/" + ProcessHandle.current().pid() + "/fd/"),
          "says where the deleted file can still be copied from: " + refused.encode());
      // every later write is refused too, whatever its path through the writer
      assertEquals("STORAGE_UNAVAILABLE", bus.refused(Addresses.FILLS_RECORD, fill(id("f"), orderId, "1", "100"), 503)
          .getString("error"));
      assertEquals("STORAGE_UNAVAILABLE", bus.refused(Addresses.BALANCES_UPDATE, new JsonObject().put("asset", "USDT")
          .put("available", "1").put("locked", "0"), 503).getString("error"));
      HttpResponse<String> ready = get(running.engine.startup().httpPort(), "/health/ready");
      assertEquals(503, ready.statusCode(), ready.body());
      assertTrue(ready.body().contains(DatabaseFile.REPLACED), ready.body());
      // a read that needs a new connection to the path finds no file: a storage fault too, not a 500
      assertFalse(ready.body().contains("INTERNAL"), ready.body());

      // the copy the message advises holds what was acknowledged before the delete
      java.util.regex.Matcher advice = java.util.regex.Pattern.compile("`cp (\\S+) (\\S+) && cp (\\S+) (\\S+)`")
          .matcher(refused.getString("message"));
      assertTrue(advice.find(), refused.getString("message"));
      Files.copy(Path.of(advice.group(1)), Path.of(advice.group(2)));
      Files.copy(Path.of(advice.group(3)), Path.of(advice.group(4)));
      try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + advice.group(2));
           var rs = c.createStatement().executeQuery("SELECT quantity FROM orders WHERE order_id = '" + orderId + "'")) {
        assertTrue(rs.next(), "the order acknowledged before the delete is in the recovered copy");
        assertEquals("2", rs.getString(1));
      }
    }
    assertTrue(Files.size(wal) > 0, "the stop did not checkpoint the log into the deleted file and empty it");

    EngineProcess restart = EngineProcess.start(dir, Map.of("TRADESTORE_HTTP_PORT", String.valueOf(TestEngineConfig.freePort()),
        "TRADESTORE_BRIDGE_PORT", String.valueOf(TestEngineConfig.freePort())), "--db", db.toString());
    assertEquals(1, restart.awaitExit(Duration.ofSeconds(30)), restart.output());
    String output = restart.output();
    assertTrue(output.contains("cannot start: the database file " + db.toAbsolutePath() + " is missing, but its write-ahead log"),
        output);
    assertTrue(output.contains("Restore it from a backup"), output);
    assertFalse(Files.exists(db), "no fresh database was created");
  }

  private static void assertStorageFull(JsonObject reply) {
    assertEquals("err", reply.getString("type"), reply.encode());
    assertEquals(503, reply.getInteger("failureCode"), reply.encode());
    JsonObject error = new JsonObject(reply.getString("message"));
    assertEquals("STORAGE_FULL", error.getString("error"), error.encode());
    assertTrue(error.getString("message").contains("is full"), error.encode());
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A request over the TCP bridge; the reply frame is {@code message} on success, {@code err} on a refusal. */
  private static JsonObject placeOrder(BridgeClient client) throws Exception {
    return client.request(Addresses.ORDERS_PLACE, limit(id("o"), "desk", "BTCUSDT", "BUY", "1", "100"), id("reply"));
  }
}
