package io.tradestore.bridge;

import io.tradestore.security.AccessTokens;
import io.tradestore.support.RunningEngine;
import io.tradestore.support.Trading;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An engine with TLS on both listeners and access tokens: a producer that may trade, a risk service that may only
 * read positions and listen to events, an operator who may also run the outbox and read the HTTP endpoint. Each is
 * held to its own patterns through a real TLS socket; a frame without a valid token does nothing.
 */
class BridgeSecurityTest {
  private static final String PRODUCER = "producer-secret-0123456789";
  private static final String RISK = "risk-secret-0123456789";
  private static final String OPERATOR = "operator-secret-0123456789";

  @TempDir static Path dir;
  static RunningEngine running;
  static SSLContext trusting;
  static CompletableFuture<Message<Object>> probe = new CompletableFuture<>();

  @BeforeAll
  static void start() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    Path tokens = dir.resolve("tokens.json");
    Files.writeString(tokens, new JsonObject().put("tokens", new JsonArray()
        .add(entry("producer", PRODUCER, "trading\\.(orders|fills|quotes)\\..+", "trading\\.events\\..+", false)
            .put("send", new JsonArray().add("trading\\.(orders|fills|quotes)\\..+").add("trading\\.test\\.probe")))
        .add(entry("risk", RISK, "trading\\.positions\\.(get|list)", "trading\\.events\\.position\\..+", false))
        .add(entry("operator", OPERATOR, "trading\\..+", "trading\\.events\\..+", true))).encodePrettily());
    Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));
    running = RunningEngine.start(dir.resolve("engine"), Map.of(
        "security.tokensFile", tokens.toString(),
        "bridge.tls.keyPath", certificate.privateKeyPath(), "bridge.tls.certPath", certificate.certificatePath(),
        "http.tls.keyPath", certificate.privateKeyPath(), "http.tls.certPath", certificate.certificatePath()));
    running.engine.vertx().eventBus().consumer("trading.test.probe", message -> {
      probe.complete(message);
      message.reply(new JsonObject());
    }).completion().await();
    trusting = trusting(Path.of(certificate.certificatePath()));
  }

  @AfterAll
  static void stop() {
    running.close();
  }

  private static JsonObject entry(String name, String secret, String send, String register, boolean http) {
    return new JsonObject().put("name", name).put("sha256", HexFormat.of().formatHex(AccessTokens.sha256(secret)))
        .put("send", new JsonArray().add(send)).put("register", new JsonArray().add(register)).put("http", http);
  }

  private static SSLContext trusting(Path certificate) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      store.setCertificateEntry("engine", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  private BridgeClient connect() throws IOException {
    SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", running.config.bridge().port());
    socket.startHandshake();
    return new BridgeClient(socket);
  }

  private static JsonObject request(String address, String token, JsonObject body, String replyAddress) {
    JsonObject frame = new JsonObject().put("type", "send").put("address", address).put("replyAddress", replyAddress).put("body", body);
    return token == null ? frame : frame.put("headers", new JsonObject().put("token", token));
  }

  @Test
  void aFrameWithoutATokenOrWithAnUnknownOneIsRefusedAndWritesNothing() throws Exception {
    long orders = running.queryLong("SELECT count(*) FROM orders");
    try (BridgeClient client = connect()) {
      JsonObject order = Trading.limit(Trading.id("o"), "acct", "BTCUSDT", "BUY", "1", "100");
      client.send(request("trading.orders.place", null, order, "r1"));
      JsonObject none = client.receive();
      assertEquals("unauthorized", none.getString("message"), none.encode());
      assertEquals("r1", none.getString("address"));
      client.send(request("trading.orders.place", "guess", order, "r2"));
      assertEquals("unauthorized", client.receive().getString("message"));
      client.send(new JsonObject().put("type", "register").put("address", "trading.events.order.placed"));
      assertEquals("unauthorized", client.receive().getString("message"));
      client.send(new JsonObject().put("type", "ping")); // ping needs no token: a client may keep its connection
      assertEquals("pong", client.receive().getString("type"));
    }
    assertEquals(orders, running.queryLong("SELECT count(*) FROM orders"));
  }

  @Test
  void eachTokenMayUseOnlyItsOwnAddresses() throws Exception {
    try (BridgeClient client = connect()) {
      String orderId = Trading.id("o");
      JsonObject placed = client.exchange(request("trading.orders.place", PRODUCER,
          Trading.limit(orderId, "acct", "BTCUSDT", "BUY", "1", "100"), "p1"));
      assertEquals("message", placed.getString("type"), placed.encode());

      JsonObject riskPlaces = client.exchange(request("trading.orders.place", RISK,
          Trading.limit(Trading.id("o"), "acct", "BTCUSDT", "BUY", "1", "100"), "p2"));
      assertEquals("access_denied", riskPlaces.getString("message"), riskPlaces.encode());
      JsonObject riskReads = client.exchange(request("trading.positions.list", RISK, new JsonObject(), "p3"));
      assertEquals("message", riskReads.getString("type"), riskReads.encode());

      JsonObject producerRunsOutbox = client.exchange(request("trading.outbox.status", PRODUCER, new JsonObject(), "p4"));
      assertEquals("access_denied", producerRunsOutbox.getString("message"));
      JsonObject operatorRunsOutbox = client.exchange(request("trading.outbox.status", OPERATOR, new JsonObject(), "p5"));
      assertEquals("message", operatorRunsOutbox.getString("type"), operatorRunsOutbox.encode());
    }
  }

  @Test
  void theTokenIsTakenOffTheFrameAndNeverReachesAHandler() throws Exception {
    try (BridgeClient client = connect()) {
      client.send(request("trading.test.probe", PRODUCER, new JsonObject(), "t1")
          .put("headers", new JsonObject().put("token", PRODUCER).put("trace", "abc")));
      assertEquals("message", client.receive().getString("type"));
    }
    Message<Object> seen = probe.get(10, TimeUnit.SECONDS);
    assertNull(seen.headers().get("token"));
    assertEquals("abc", seen.headers().get("trace"), "the client's other headers pass");
  }

  @Test
  void theBridgeSpeaksOnlyTls() throws Exception {
    try (Socket plain = new Socket("127.0.0.1", running.config.bridge().port());
         BridgeClient client = new BridgeClient(plain)) {
      client.send(new JsonObject().put("type", "ping"));
      assertThrows(IOException.class, client::receive, "a plain client gets no frame from a TLS listener");
    }
    SSLContext untrusting = SSLContext.getInstance("TLS");
    untrusting.init(null, null, null);
    try (SSLSocket socket = (SSLSocket) untrusting.getSocketFactory().createSocket("127.0.0.1", running.config.bridge().port())) {
      assertThrows(SSLHandshakeException.class, socket::startHandshake, "the engine's certificate is checked by clients");
    }
  }

  @Test
  void theHttpEndpointNeedsABearerTokenAllowedHttp() throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(trusting).build();
    URI metrics = URI.create("https://localhost:" + running.config.http().port() + "/metrics");
    assertEquals(401, http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    assertEquals(401, http.send(HttpRequest.newBuilder(metrics).header("Authorization", "Bearer " + PRODUCER).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode(), "a token without http may not read it");
    HttpResponse<String> scraped = http.send(HttpRequest.newBuilder(metrics).header("Authorization", "Bearer " + OPERATOR).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, scraped.statusCode());
    assertTrue(scraped.body().contains("tradestore_bridge_refusals_total{reason=\"unauthorized\"}"), "refusals are counted");
    assertFalse(scraped.body().contains(OPERATOR));
  }
}
