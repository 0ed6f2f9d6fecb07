package io.tradestore.bridge;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tradestore.support.TestEngineConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The engine's bridge against the Vert.x TCP bridge module it replaces: the same frames sent to both, over real
 * sockets, get the same answers. This is what keeps clients written for the module (Vert.x's own among them)
 * working unchanged; the module is kept as a test dependency for it.
 */
class BridgeConformanceTest {
  @TempDir static Path dir;
  static Vertx vertx;
  static int modulePort;
  static int enginePort;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    vertx.eventBus().consumer("trading.echo", m -> m.reply(new JsonObject().put("echo", m.body()), new io.vertx.core.eventbus.DeliveryOptions().addHeader("h", "v"))).completion().await();
    vertx.eventBus().consumer("trading.refuse", m -> m.fail(409, "{\"error\":\"CONFLICT\"}")).completion().await();
    vertx.eventBus().consumer("trading.ask", m -> m.replyAndRequest(new JsonObject().put("question", 1))
        .onSuccess(answer -> vertx.eventBus().publish("trading.events.answered", answer.body()))).completion().await();

    var settings = TestEngineConfig.in(dir).bridge();
    BridgeOptions options = new BridgeOptions();
    settings.inboundPermitted().forEach(r -> options.addInboundPermitted(new PermittedOptions().setAddressRegex(r)));
    settings.outboundPermitted().forEach(r -> options.addOutboundPermitted(new PermittedOptions().setAddressRegex(r)));
    modulePort = TestEngineConfig.freePort();
    TcpEventBusBridge.create(vertx, options).listen(modulePort, "127.0.0.1").await();
    enginePort = TestEngineConfig.freePort();
    vertx.deployVerticle(new BridgeVerticle(settings.onPort(enginePort), null, new SimpleMeterRegistry())).await();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  /** Sends {@code frames} in order on one connection and collects {@code answers} frames. */
  private static List<JsonObject> exchange(int port, List<JsonObject> frames, int answers) throws Exception {
    List<JsonObject> received = new ArrayList<>();
    try (BridgeClient client = new BridgeClient("127.0.0.1", port)) {
      for (JsonObject frame : frames) {
        client.send(frame);
        if (frame.getString("type").equals("register")) {
          client.send(new JsonObject().put("type", "ping")); // the module answers nothing to a register: wait for it
          received.add(client.receive());
        }
      }
      while (received.size() < answers) {
        received.add(client.receive());
      }
    }
    return received;
  }

  /**
   * The same answers from both, whatever their order: a handler's reply and what a bridge answers at once (a
   * pong, no handlers) race on either, and the module itself was seen to answer one list in two orders.
   */
  private static void assertSameAnswers(List<JsonObject> frames, int answers) throws Exception {
    List<JsonObject> module = exchange(modulePort, frames, answers);
    List<JsonObject> engine = exchange(enginePort, frames, answers);
    assertEquals(sorted(module), sorted(engine));
  }

  private static String sorted(List<JsonObject> answers) {
    List<JsonObject> copy = new ArrayList<>(answers);
    copy.sort(java.util.Comparator.comparing(JsonObject::encode));
    return new JsonArray(copy).encodePrettily();
  }

  private static JsonObject send(String address, String replyAddress, Object body) {
    JsonObject frame = new JsonObject().put("type", "send").put("address", address).put("body", body);
    return replyAddress == null ? frame : frame.put("replyAddress", replyAddress);
  }

  @Test
  void requestsRepliesAndTheirFailuresAreFramedAsTheModuleFramesThem() throws Exception {
    assertSameAnswers(List.of(
        send("trading.echo", "r1", new JsonObject().put("price", "100.25")),
        send("trading.echo", "r2", "text"),
        send("trading.refuse", "r3", new JsonObject()),
        send("trading.nobody", "r4", new JsonObject()),
        new JsonObject().put("type", "ping")), 5);
  }

  @Test
  void permissionsAreTheModulesOwn() throws Exception {
    assertSameAnswers(List.of(
        send("internal.secret", "r1", new JsonObject()),
        send("trading.events.order.placed", "r2", new JsonObject()),
        send("trading.outbox.replay", "r3", new JsonObject()),
        new JsonObject().put("type", "register").put("address", "internal.audit"),
        new JsonObject().put("type", "unregister").put("address", "trading.events.never"),
        new JsonObject().put("type", "send").put("body", new JsonObject())), 7);
  }

  @Test
  void registrationsDeliverEventsAndAClientMayAnswerAMessageThatAwaitsItsReply() throws Exception {
    for (int port : new int[] {modulePort, enginePort}) {
      try (BridgeClient client = new BridgeClient("127.0.0.1", port)) {
        client.send(new JsonObject().put("type", "register").put("address", "trading.events.answered"));
        client.send(new JsonObject().put("type", "ping"));
        assertEquals("pong", client.receive().getString("type"));
        JsonObject question = client.request("trading.ask", new JsonObject(), "q1");
        assertEquals("q1", question.getString("address"), question.encode());
        assertEquals(1, question.getJsonObject("body").getInteger("question"));
        client.send(send(question.getString("replyAddress"), null, new JsonObject().put("answer", 42)));
        JsonObject event = client.receive();
        assertEquals("trading.events.answered", event.getString("address"), "port " + port + ": " + event.encode());
        assertEquals(42, event.getJsonObject("body").getInteger("answer"));
        assertEquals(false, event.getBoolean("send"));
      }
    }
  }
}
