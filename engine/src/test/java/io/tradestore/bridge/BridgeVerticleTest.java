package io.tradestore.bridge;

import io.tradestore.support.EngineFixture;
import io.tradestore.support.ShippedMigrations;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine driven through a real TCP socket with the bridge's framing. */
class BridgeVerticleTest extends EngineFixture {
  private BridgeClient connect() throws Exception {
    return new BridgeClient("127.0.0.1", running.config.bridge().port());
  }

  @Test
  void aPermittedRequestIsAnsweredThroughTheSocket() throws Exception {
    try (BridgeClient client = connect()) {
      JsonObject reply = client.request("trading.engine.info", new JsonObject(), "client-reply-1");
      assertEquals("message", reply.getString("type"), reply.encode());
      assertEquals("client-reply-1", reply.getString("address"));
      JsonObject body = reply.getJsonObject("body");
      assertEquals("tradestore", body.getString("engine"));
      assertEquals(ShippedMigrations.latestVersion(), body.getJsonObject("database").getInteger("schemaVersion"));
      assertEquals("wal", body.getJsonObject("database").getString("journalMode"));
      assertTrue(body.getJsonObject("database").getBoolean("foreignKeys"));
    }
  }

  @Test
  void anAddressOutsideThePermittedPatternsIsRefused() throws Exception {
    running.engine.vertx().eventBus().consumer("internal.secret", m -> m.reply("leaked"));
    try (BridgeClient client = connect()) {
      JsonObject reply = client.request("internal.secret", new JsonObject(), "client-reply-2");
      assertEquals("err", reply.getString("type"), reply.encode());
      assertEquals("access_denied", reply.getString("message"));
    }
  }

  @Test
  void clientsMayListenOnEventAddressesButNotElsewhere() throws Exception {
    try (BridgeClient client = connect()) {
      client.send(new JsonObject().put("type", "register").put("address", "trading.events.order.placed"));
      client.send(new JsonObject().put("type", "ping")); // frames are handled in order: pong means registered
      assertEquals("pong", client.receive().getString("type"));
      running.engine.vertx().eventBus().publish("trading.events.order.placed", new JsonObject().put("seq", 1));
      JsonObject event = client.receive();
      assertEquals("message", event.getString("type"), event.encode());
      assertEquals(1, event.getJsonObject("body").getInteger("seq"));

      client.send(new JsonObject().put("type", "register").put("address", "internal.audit"));
      JsonObject refused = client.receive();
      assertEquals("err", refused.getString("type"), refused.encode());
      assertEquals("access_denied", refused.getString("message"));
    }
  }
}
