package io.tradestore.bridge;

import io.tradestore.support.RunningEngine;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bridge's limits, each driven through a real socket against a running engine with small bounds: what a
 * client sends can make the engine hold only so much, and a frame it will not carry is answered, not thrown.
 */
class BridgeLimitsTest {
  private static final int MAX_PIPELINED = 4;
  private static final int MAX_IN_FLIGHT = 6;
  private static final String HELD = "trading.test.held";

  @TempDir static Path dir;
  static RunningEngine running;
  /** Requests to {@link #HELD} that reached their handler and are not answered yet. */
  static final ConcurrentLinkedQueue<Message<Object>> held = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void start() {
    running = RunningEngine.start(dir, Map.of(
        "bridge.maxFrameBytes", 4096,
        "bridge.maxConnections", 8,
        "bridge.frameTimeoutMs", 500,
        "bridge.maxPipelined", MAX_PIPELINED,
        "bridge.maxInFlight", MAX_IN_FLIGHT,
        "bridge.maxOutputBytes", 65536));
    running.engine.vertx().eventBus().consumer(HELD, held::add).completion().await();
  }

  @AfterAll
  static void stop() {
    running.close();
  }

  private BridgeClient connect() throws IOException {
    return new BridgeClient("127.0.0.1", running.config.bridge().port());
  }

  private static JsonObject request(String address, String replyAddress) {
    return new JsonObject().put("type", "send").put("address", address).put("replyAddress", replyAddress).put("body", new JsonObject());
  }

  private static void awaitHeld(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (held.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(count, held.size(), "requests that reached their handler");
  }

  /** Waits a little longer, to see that no more arrive than the limit lets through. */
  private static void assertStaysHeld(int count) throws InterruptedException {
    Thread.sleep(300);
    assertEquals(count, held.size(), "requests that reached their handler while the limit holds");
  }

  /** Answers every request held so far; returns how many. */
  private static int answerHeld() {
    int answered = 0;
    Message<Object> message;
    while ((message = held.poll()) != null) {
      message.reply(new JsonObject().put("answered", true));
      answered++;
    }
    return answered;
  }

  private double refusals(String reason) {
    return running.engine.registry().get("tradestore.bridge.refusals").tag("reason", reason).counter().count();
  }

  private void assertEngineAnswers() throws IOException {
    try (BridgeClient client = connect()) {
      JsonObject reply = client.request("trading.engine.info", new JsonObject(), "still-up");
      assertEquals("message", reply.getString("type"), reply.encode());
      assertEquals("tradestore", reply.getJsonObject("body").getString("engine"));
    }
  }

  @Test
  void aFrameAnnouncingMoreThanMaxFrameBytesIsRefusedAndItsConnectionClosedBeforeTheBodyIsHeld() throws Exception {
    double before = refusals("frame_too_large");
    try (BridgeClient client = connect()) {
      client.sendRaw(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array());
      client.sendRaw(new byte[64 * 1024]);
      assertTrue(client.closedWithin(5_000), "the connection is closed");
    }
    assertEquals(before + 1, refusals("frame_too_large"));
    assertEngineAnswers();
  }

  @Test
  void aNegativeOrZeroLengthPrefixClosesTheConnection() throws Exception {
    for (int length : new int[] {0, -1}) {
      try (BridgeClient client = connect()) {
        client.sendRaw(ByteBuffer.allocate(4).putInt(length).array());
        assertTrue(client.closedWithin(5_000), "closed after a length prefix of " + length);
      }
    }
  }

  @Test
  void malformedFramesAreEachAnsweredWithAnErrFrameAndTheConnectionStaysUsable() throws Exception {
    try (BridgeClient client = connect()) {
      List<String> bodies = List.of(
          "{not json",
          "[1,2,3]",
          "\"text\"",
          "{\"type\":\"shout\",\"address\":\"trading.engine.info\"}",
          "{\"address\":\"trading.engine.info\"}",
          "{\"type\":7,\"address\":\"trading.engine.info\"}",
          "{\"type\":\"send\"}",
          "{\"type\":\"send\",\"address\":[\"trading.engine.info\"]}",
          "{\"type\":\"send\",\"address\":\"trading.engine.info\",\"headers\":\"x\"}",
          "{\"type\":\"send\",\"address\":\"trading.engine.info\",\"headers\":{\"h\":1}}",
          "{\"type\":\"send\",\"address\":\"trading.engine.info\",\"headers\":{\"timeout\":-5}}",
          "{\"type\":\"send\",\"address\":\"trading.engine.info\",\"headers\":{\"codecName\":\"x\"}}",
          "{\"type\":\"send\",\"address\":\"trading.engine.info\",\"replyAddress\":12}");
      List<String> expected = List.of("invalid_json", "invalid_json", "invalid_json", "unknown_type", "unknown_type",
          "unknown_type", "missing_address", "invalid_frame", "invalid_frame", "invalid_frame", "invalid_frame",
          "invalid_frame", "invalid_frame");
      List<String> answers = new ArrayList<>();
      for (String body : bodies) {
        client.sendFrame(body);
        JsonObject answer = client.receive();
        assertEquals("err", answer.getString("type"), body + " -> " + answer.encode());
        answers.add(answer.getString("message"));
      }
      assertEquals(expected, answers);
      JsonObject reply = client.request("trading.engine.info", new JsonObject(), "after-garbage");
      assertEquals("message", reply.getString("type"), reply.encode());
    }
  }

  @Test
  void aRefusedRequestNamesItsReplyAddressSoTheClientWaitingOnItLearnsAtOnce() throws Exception {
    try (BridgeClient client = connect()) {
      client.send(request("trading.engine.info", "r-9").put("headers", new JsonObject().put("h", true)));
      JsonObject answer = client.receive();
      assertEquals("err", answer.getString("type"));
      assertEquals("r-9", answer.getString("address"));
      assertEquals("invalid_frame", answer.getString("message"));
    }
  }

  @Test
  void aRequestNoHandlerServesOrNoneAnswersInTimeFailsAsDocumented() throws Exception {
    try (BridgeClient client = connect()) {
      JsonObject nobody = client.request("trading.nobody.home", new JsonObject(), "n-1");
      assertEquals("err", nobody.getString("type"), nobody.encode());
      assertEquals("n-1", nobody.getString("address"));
      assertEquals(-1, nobody.getInteger("failureCode"));
      assertEquals("NO_HANDLERS", nobody.getString("failureType"));
      assertTrue(nobody.getString("message").contains("trading.nobody.home"), nobody.encode());

      JsonObject late = client.exchange(request(HELD, "n-2").put("headers", new JsonObject().put("timeout", 200)));
      assertEquals("err", late.getString("type"), late.encode());
      assertEquals(-1, late.getInteger("failureCode"));
      assertEquals("TIMEOUT", late.getString("failureType"));
    } finally {
      answerHeld();
    }
  }

  @Test
  void clientsMayNotPublishToCommandAddressesByDefault() throws Exception {
    try (BridgeClient client = connect()) {
      client.send(new JsonObject().put("type", "publish").put("address", "trading.orders.place").put("body", new JsonObject()));
      JsonObject answer = client.receive();
      assertEquals("err", answer.getString("type"));
      assertEquals("access_denied", answer.getString("message"));
    }
  }

  @Test
  void aConnectionPipeliningPastMaxPipelinedIsNotReadUntilRepliesComeBackAndEveryRequestIsAnswered() throws Exception {
    try (BridgeClient client = connect()) {
      for (int i = 0; i < 20; i++) {
        client.send(request(HELD, "p-" + i));
      }
      awaitHeld(MAX_PIPELINED);
      assertStaysHeld(MAX_PIPELINED);
      List<String> answered = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (answered.size() < 20 && System.nanoTime() < deadline) {
        assertTrue(held.size() <= MAX_PIPELINED, "at most " + MAX_PIPELINED + " reach their handler at once");
        answerHeld();
        while (client.hasFrameWithin(20)) {
          JsonObject reply = client.receive();
          assertEquals("message", reply.getString("type"), reply.encode());
          answered.add(reply.getString("address"));
        }
      }
      for (int i = 0; i < 20; i++) {
        assertEquals("p-" + i, answered.get(i), "answers come in the order of the requests");
      }
    } finally {
      answerHeld();
    }
  }

  @Test
  void oneWaySendsCountAgainstThePipelineLimitToo() throws Exception {
    try (BridgeClient client = connect()) {
      for (int i = 0; i < 10; i++) {
        client.send(new JsonObject().put("type", "send").put("address", HELD).put("body", new JsonObject()));
      }
      awaitHeld(MAX_PIPELINED);
      assertStaysHeld(MAX_PIPELINED);
      int delivered = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (delivered < 10 && System.nanoTime() < deadline) {
        int now = held.size();
        assertTrue(now <= MAX_PIPELINED, "at most " + MAX_PIPELINED + " reach their handler at once, saw " + now);
        delivered += answerHeld(); // not `now`: one may arrive between the two
        Thread.sleep(50);
      }
      assertEquals(10, delivered, "every one-way send reached its handler in the end");
    } finally {
      answerHeld();
    }
  }

  @Test
  void allConnectionsTogetherHoldAtMostMaxInFlightRequests() throws Exception {
    try (BridgeClient first = connect(); BridgeClient second = connect()) {
      for (int i = 0; i < MAX_PIPELINED + 2; i++) {
        first.send(request(HELD, "a-" + i));
        second.send(request(HELD, "b-" + i));
      }
      // The connection that was reading when the other spent the budget may pass one frame it had read already.
      awaitHeld(MAX_IN_FLIGHT);
      Thread.sleep(300);
      int reached = held.size();
      assertTrue(reached == MAX_IN_FLIGHT || reached == MAX_IN_FLIGHT + 1,
          "requests that reached their handler while the limit holds: " + reached);
      int answers = 0;
      while (answers < 2 * (MAX_PIPELINED + 2)) {
        answerHeld();
        Thread.sleep(20);
        answers = answers + drain(first) + drain(second);
        assertTrue(held.size() <= MAX_IN_FLIGHT + 1);
      }
    } finally {
      answerHeld();
    }
  }

  /** Answers that arrived on {@code client} within a short wait. */
  private static int drain(BridgeClient client) throws IOException {
    int count = 0;
    while (client.hasFrameWithin(50)) {
      assertEquals("message", client.receive().getString("type"));
      count++;
    }
    return count;
  }

  @Test
  void aFrameBegunAndNotFinishedWithinFrameTimeoutClosesItsConnectionEvenWhenItsBytesTrickleIn() throws Exception {
    double before = refusals("frame_timeout");
    try (BridgeClient client = connect()) {
      client.sendRaw(ByteBuffer.allocate(4).putInt(100).array());
      long begun = System.nanoTime();
      boolean closed = false;
      for (int i = 0; i < 40 && !closed; i++) { // one byte every 100 ms: never idle, never finished
        try {
          client.sendRaw(new byte[] {' '});
        } catch (IOException e) {
          closed = true;
          break;
        }
        closed = client.closedWithin(100);
      }
      assertTrue(closed, "a slow sender is disconnected");
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun);
      assertTrue(tookMs < 3_000, "closed " + tookMs + " ms after the frame began (limit 500 ms, checked every second)");
    }
    assertEquals(before + 1, refusals("frame_timeout"));
  }

  @Test
  void connectionsBeyondMaxConnectionsAreRefusedAndTheEngineStillServesTheOthers() throws Exception {
    List<BridgeClient> open = new ArrayList<>();
    try {
      AtomicInteger refused = new AtomicInteger();
      for (int i = 0; i < 12; i++) {
        BridgeClient client = connect();
        open.add(client);
      }
      for (BridgeClient client : open) {
        if (client.closedWithin(300)) {
          refused.incrementAndGet();
        }
      }
      assertEquals(12 - 8, refused.get(), "connections past bridge.maxConnections (8) are closed");
    } finally {
      for (BridgeClient client : open) {
        client.close();
      }
    }
    Thread.sleep(200); // the engine sees the closes
    assertEngineAnswers();
  }

  @Test
  void aClientThatLeavesMoreThanMaxOutputBytesUnreadIsDisconnected() throws Exception {
    double before = refusals("output_overflow");
    try (BridgeClient client = connect()) {
      client.send(new JsonObject().put("type", "register").put("address", "trading.events.test.flood"));
      client.send(new JsonObject().put("type", "ping"));
      assertEquals("pong", client.receive().getString("type"));
      String padding = "x".repeat(64 * 1024);
      // far more than the kernel's socket buffers on both ends hold, so the engine's own queue must grow
      for (int i = 0; i < 1_000 && refusals("output_overflow") == before; i++) {
        running.engine.vertx().eventBus().publish("trading.events.test.flood", new JsonObject().put("padding", padding));
        if (i % 50 == 49) {
          Thread.sleep(20);
        }
      }
      assertFalse(refusals("output_overflow") == before, "the reader that does not read is refused");
      assertTrue(client.closedWithin(5_000));
    }
  }

  @Test
  void anIdleConnectionIsClosedAfterIdleTimeout(@TempDir Path other) throws Exception {
    try (RunningEngine idle = RunningEngine.start(other, Map.of("bridge.idleTimeoutSeconds", 1));
         BridgeClient client = new BridgeClient("127.0.0.1", idle.config.bridge().port())) {
      client.send(new JsonObject().put("type", "ping"));
      assertEquals("pong", client.receive().getString("type"));
      long begun = System.nanoTime();
      assertTrue(client.closedWithin(5_000), "closed for idleness");
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun) >= 800);
    }
  }
}
