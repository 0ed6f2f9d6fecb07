package io.tradestore.client;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's connection handling against a real TCP server that speaks the bridge's framing and misbehaves on
 * demand: silence, lost connections, oversized frames, unaddressed refusals. (The client against the engine itself
 * is the engine module's {@code TradestoreClientTest}.)
 */
class TradestoreClientConnectionTest {
  private Vertx vertx;
  private NetServer server;
  private final BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
  private final List<NetSocket> connections = new CopyOnWriteArrayList<>();
  private volatile BiConsumer<NetSocket, JsonObject> answer = TradestoreClientConnectionTest::echo;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = vertx.createNetServer().connectHandler(socket -> {
      connections.add(socket);
      socket.handler(BridgeFrames.parser(1 << 20, frame -> {
        received.add(frame);
        answer.accept(socket, frame);
      }, size -> socket.close()));
    });
    server.listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private static void echo(NetSocket socket, JsonObject frame) {
    if ("send".equals(frame.getString("type")) && frame.getString("replyAddress") != null) {
      socket.write(BridgeFrames.encode(new JsonObject().put("type", "message")
          .put("address", frame.getString("replyAddress")).put("body", frame.getJsonObject("body"))));
    }
  }

  private TradestoreClient connect(ClientOptions options) {
    return TradestoreClient.connect(options.host("127.0.0.1").port(server.actualPort())).join();
  }

  private JsonObject next(String type) throws InterruptedException {
    while (true) {
      JsonObject frame = received.poll(10, TimeUnit.SECONDS);
      assertNotNull(frame, "no " + type + " frame");
      if (type.equals(frame.getString("type"))) {
        return frame;
      }
    }
  }

  private static Throwable failureOf(CompletableFuture<?> reply) {
    return assertThrows(ExecutionException.class, () -> reply.get(10, TimeUnit.SECONDS)).getCause();
  }

  @Test
  void aRequestCarriesItsTokenAndTimeoutAndGetsTheReplyToItsAddress() throws Exception {
    try (TradestoreClient client = connect(new ClientOptions().token("secret"))) {
      JsonObject reply = client.request("trading.echo", new JsonObject().put("price", "0.1"), Duration.ofSeconds(7))
          .get(10, TimeUnit.SECONDS);
      assertEquals("0.1", reply.getString("price"));
      JsonObject sent = next("send");
      assertEquals("secret", sent.getJsonObject("headers").getString("token"));
      assertEquals(7000, sent.getJsonObject("headers").getInteger("timeout"));
    }
  }

  @Test
  void aRequestNeverAnsweredFailsAsATimeoutThatMayBeRetried() {
    answer = (socket, frame) -> { };
    try (TradestoreClient client = connect(new ClientOptions())) {
      Throwable failure = failureOf(client.request("trading.silent", new JsonObject(), Duration.ofMillis(200)));
      TradestoreException timeout = assertInstanceOf(TradestoreException.class, failure);
      assertEquals("TIMEOUT", timeout.error());
      assertTrue(timeout.retryable());
    }
  }

  @Test
  void aLostConnectionFailsTheOutstandingRequestsThenTheClientReconnectsAndRegistersAgain() throws Exception {
    answer = (socket, frame) -> { };
    try (TradestoreClient client = connect(new ClientOptions())) {
      List<Event> events = new CopyOnWriteArrayList<>();
      client.subscribe("trading.events.fill.recorded", events::add);
      assertEquals("trading.events.fill.recorded", next("register").getString("address"));
      CompletableFuture<JsonObject> outstanding = client.request("trading.silent", new JsonObject());
      next("send");
      connections.get(0).close();
      assertInstanceOf(ConnectionLostException.class, failureOf(outstanding));

      assertEquals("trading.events.fill.recorded", next("register").getString("address"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!client.isConnected() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(1, client.reconnects());
      connections.get(1).write(BridgeFrames.encode(new JsonObject().put("type", "message")
          .put("address", "trading.events.fill.recorded").put("headers", new JsonObject().put("eventId", "e-1"))
          .put("body", new JsonObject().put("fillId", "f-1"))));
      while (events.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals("e-1", events.get(0).eventId());
      answer = TradestoreClientConnectionTest::echo;
      assertEquals("after", client.request("trading.echo", new JsonObject().put("x", "after")).get(10,
          TimeUnit.SECONDS).getString("x"));
    }
  }

  @Test
  void withoutReconnectALostConnectionLeavesTheClientClosed() throws Exception {
    try (TradestoreClient client = connect(new ClientOptions().reconnect(false))) {
      client.request("trading.echo", new JsonObject()).get(10, TimeUnit.SECONDS);
      connections.get(0).close();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (client.isConnected() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertInstanceOf(ConnectionLostException.class, failureOf(client.request("trading.echo", new JsonObject())));
      assertThrows(ConnectionLostException.class, client::ping);
      assertEquals(1, connections.size());
      assertEquals(0, client.reconnects());
    }
  }

  @Test
  void aFrameOverTheEnginesLimitIsRefusedBeforeAByteIsSent() throws Exception {
    try (TradestoreClient client = connect(new ClientOptions().maxFrameBytes(1_000))) {
      Throwable failure = failureOf(client.request("trading.echo", new JsonObject().put("note", "x".repeat(2_000))));
      assertInstanceOf(IllegalArgumentException.class, failure);
      assertEquals("ok", client.request("trading.echo", new JsonObject().put("note", "ok")).get(10, TimeUnit.SECONDS)
          .getString("note"));
      assertEquals("ok", next("send").getJsonObject("body").getString("note"), "the refused frame was not sent");
    }
  }

  @Test
  void anAnnouncedFrameOverTheClientsLimitEndsTheConnectionInsteadOfFillingMemory() throws Exception {
    answer = (socket, frame) -> socket.write(io.vertx.core.buffer.Buffer.buffer().appendInt(64 << 20));
    try (TradestoreClient client = connect(new ClientOptions().reconnect(false))) {
      assertInstanceOf(ConnectionLostException.class, failureOf(client.request("trading.huge", new JsonObject())));
      assertFalse(client.isConnected());
    }
  }

  @Test
  void anUnaddressedRefusalGoesToTheErrorHandler() throws Exception {
    answer = (socket, frame) -> socket.write(BridgeFrames.encode(new JsonObject().put("type", "err")
        .put("message", "access_denied")));
    try (TradestoreClient client = connect(new ClientOptions())) {
      CompletableFuture<TradestoreException> refused = new CompletableFuture<>();
      client.onUnansweredError(refused::complete);
      client.send("trading.forbidden", new JsonObject());
      TradestoreException error = refused.get(10, TimeUnit.SECONDS);
      assertEquals("access_denied", error.error());
    }
  }

  @Test
  void anEngineFailureCarriesItsCodeErrorFieldAndReason() {
    answer = (socket, frame) -> socket.write(BridgeFrames.encode(new JsonObject().put("type", "err")
        .put("address", frame.getString("replyAddress")).put("sourceAddress", frame.getString("address"))
        .put("failureCode", 400).put("failureType", "RECIPIENT_FAILURE")
        .put("message", new JsonObject().put("error", "INVALID_REQUEST").put("field", "quantity")
            .put("message", "quantity must be positive").encode())));
    try (TradestoreClient client = connect(new ClientOptions())) {
      TradestoreException refused = assertInstanceOf(TradestoreException.class,
          failureOf(client.request("trading.orders.place", new JsonObject())));
      assertEquals(400, refused.code());
      assertEquals("INVALID_REQUEST", refused.error());
      assertEquals("quantity", refused.field());
      assertEquals("quantity must be positive", refused.reason());
      assertEquals("trading.orders.place", refused.address());
      assertFalse(refused.retryable());
    }
  }
}
