package io.tradestore.bridge;

import io.tradestore.support.EngineFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.tradestore.support.Trading.fill;
import static io.tradestore.support.Trading.id;
import static io.tradestore.support.Trading.limit;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A trading flow as a process in another language drives it: place, fill, read the position over the TCP bridge. */
class TradingBridgeTest extends EngineFixture {
  private static JsonObject ok(BridgeClient client, String address, JsonObject body) throws Exception {
    String replyAddress = id("reply");
    JsonObject frame = client.request(address, body, replyAddress);
    assertEquals("message", frame.getString("type"), frame.encode());
    assertEquals(replyAddress, frame.getString("address"));
    return frame.getJsonObject("body");
  }

  @Test
  void anOrderIsPlacedFilledAndItsPositionReadThroughTheSocketAndAConflictArrivesAsAnErrFrame() throws Exception {
    String account = id("acct");
    String orderId = id("o");
    try (BridgeClient client = new BridgeClient("127.0.0.1", running.config.bridge().port())) {
      JsonObject placed = ok(client, "trading.orders.place", limit(orderId, account, "BTCUSDT", "BUY", 2, 100.5));
      assertEquals("NEW", placed.getString("status"));
      assertEquals("2", placed.getString("quantity"), "a JSON number over the wire comes back as a string");
      assertEquals("100.5", placed.getString("price"));

      JsonObject filled = ok(client, "trading.fills.record", fill(id("f"), orderId, "0.1", 100.1)
          .put("fee", 0.01).put("feeAsset", "USDT").put("executedAt", 1_790_000_000_000L));
      assertEquals("PARTIALLY_FILLED", filled.getJsonObject("order").getString("status"));
      assertEquals("100.1", filled.getJsonObject("fill").getString("price"));
      assertEquals("2026-09-21T14:13:20Z", filled.getJsonObject("fill").getString("executedAt"));

      JsonObject position = ok(client, "trading.positions.get", new JsonObject().put("account", account).put("symbol", "BTCUSDT"));
      assertEquals("0.1", position.getString("quantity"));
      assertEquals("100.1", position.getString("averagePrice"));
      assertEquals("0.01", position.getJsonObject("fees").getString("USDT"));

      JsonObject conflict = client.request("trading.fills.record", fill(id("f"), orderId, "5", "100"), id("reply"));
      assertEquals("err", conflict.getString("type"), conflict.encode());
      assertEquals(409, conflict.getInteger("failureCode"));
      assertEquals("RECIPIENT_FAILURE", conflict.getString("failureType"));
      JsonObject error = new JsonObject(conflict.getString("message"));
      assertEquals("CONFLICT", error.getString("error"));
      assertEquals("quantity", error.getString("field"));

      JsonObject invalid = client.request("trading.orders.place", limit(id("o"), account, "BTCUSDT", "BUY", "1", null), id("reply"));
      assertEquals("err", invalid.getString("type"));
      assertEquals(400, invalid.getInteger("failureCode"));
      assertEquals("price", new JsonObject(invalid.getString("message")).getString("field"));

      // the connection and the engine keep serving after the failures
      assertEquals("0.1", ok(client, "trading.orders.get", new JsonObject().put("orderId", orderId)).getString("filledQuantity"));
    }
  }
}
