package io.tradestore.order;

import io.tradestore.support.EngineFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tradestore.support.Trading.fill;
import static io.tradestore.support.Trading.id;
import static io.tradestore.support.Trading.limit;
import static io.tradestore.support.Trading.market;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** trading.orders.* through the event bus, with what each request leaves in the database file. */
class OrderBusTest extends EngineFixture {
  private static JsonObject place(JsonObject body) {
    return bus.ok("trading.orders.place", body);
  }

  private static JsonObject update(String orderId, String status) {
    return new JsonObject().put("orderId", orderId).put("status", status);
  }

  @Test
  void aPlacedLimitOrderIsStoredNewWithDecimalsAsStringsAndOneOrderPlacedEvent() {
    String orderId = id("o");
    JsonObject reply = place(limit(orderId, "acct-1", "BTCUSDT", "buy", 1.50, 100.25));
    assertEquals(orderId, reply.getString("orderId"));
    assertEquals("NEW", reply.getString("status"));
    assertEquals("BUY", reply.getString("side"));
    assertEquals("LIMIT", reply.getString("type"));
    assertEquals("1.5", reply.getString("quantity"));
    assertEquals("100.25", reply.getString("price"));
    assertEquals("0", reply.getString("filledQuantity"));
    assertEquals("1.5", reply.getString("remainingQuantity"));
    assertNull(reply.getValue("averagePrice"));
    assertNull(reply.getValue("externalOrderId"));
    assertFalse(reply.getBoolean("duplicate"));
    Instant.parse(reply.getString("createdAt"));

    JsonObject got = bus.ok("trading.orders.get", new JsonObject().put("orderId", orderId));
    reply.remove("duplicate");
    assertEquals(reply, got);

    JsonObject payload = db.onlyPendingEvent(orderId, "order", "order.placed");
    assertEquals("1.5", payload.getString("quantity"));
    assertEquals("100.25", payload.getString("price"));
    assertEquals("0", payload.getString("filledQuantity"));
  }

  @Test
  void aMarketOrderHasNoPriceAndTheAccountDefaultsToDefault() {
    String orderId = id("o");
    JsonObject reply = place(market(orderId, null, "ETHUSDT", "SELL", "2"));
    assertEquals("default", reply.getString("account"));
    assertEquals("MARKET", reply.getString("type"));
    assertNull(reply.getValue("price"));
    assertEquals("default", db.rows("SELECT account FROM orders WHERE order_id = ?", orderId).get(0).get("account"));
  }

  @Test
  void badOrdersAreRefusedWith400NamingTheFieldAndWriteNothing() {
    Map<String, Long> before = db.counts();
    String o = id("o");
    refusedField(limit(null, "a", "BTCUSDT", "BUY", "1", "1"), "orderId");
    refusedField(limit(o, "a", null, "BUY", "1", "1"), "symbol");
    refusedField(limit(o, "a", "BTCUSDT", "BUY", "1", "1").put("account", 42), "account");
    refusedField(limit(o, "a", "BTCUSDT", "HOLD", "1", "1"), "side");
    refusedField(limit(o, "a", "BTCUSDT", null, "1", "1"), "side");
    refusedField(limit(o, "a", "BTCUSDT", "BUY", "1", "1").put("type", "STOP"), "type");
    refusedField(limit(o, "a", "BTCUSDT", "BUY", "0", "1"), "quantity");
    refusedField(limit(o, "a", "BTCUSDT", "BUY", -2, "1"), "quantity");
    refusedField(limit(o, "a", "BTCUSDT", "BUY", "one", "1"), "quantity");
    refusedField(limit(o, "a", "BTCUSDT", "BUY", new JsonObject(), "1"), "quantity");
    refusedField(limit(o, "a", "BTCUSDT", "BUY", "1", null), "price");
    refusedField(limit(o, "a", "BTCUSDT", "BUY", "1", "0"), "price");
    refusedField(market(o, "a", "BTCUSDT", "BUY", "1").put("price", "100"), "price");
    refusedField(limit(o, "a", "BTCUSDT", "BUY", "1", "1").put("quoteId", 5), "quoteId");
    refusedField(limit("x".repeat(129), "a", "BTCUSDT", "BUY", "1", "1"), "orderId");
    JsonObject notAnObject = refusedRaw("trading.orders.place", "just text");
    assertEquals("INVALID_REQUEST", notAnObject.getString("error"));
    assertEquals(before, db.counts(), "a refused order writes nothing");
    bus.refused("trading.orders.get", new JsonObject().put("orderId", o), 404);
  }

  private static void refusedField(JsonObject body, String field) {
    JsonObject refused = bus.refused("trading.orders.place", body, 400);
    assertEquals("INVALID_REQUEST", refused.getString("error"));
    assertEquals(field, refused.getString("field"), refused.encode());
    assertTrue(refused.getString("message").contains(field), refused.encode());
  }

  private static JsonObject refusedRaw(String address, Object body) {
    try {
      running.engine.vertx().eventBus().request(address, body).await(10, TimeUnit.SECONDS);
      throw new AssertionError(address + " accepted " + body);
    } catch (io.vertx.core.eventbus.ReplyException e) {
      assertEquals(400, e.failureCode());
      return new JsonObject(e.getMessage());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(address + " did not answer");
    }
  }

  @Test
  void resendingAnOrderIsADuplicateThatChangesNothingAndDifferentContentIs409() {
    String orderId = id("o");
    place(limit(orderId, "acct-1", "BTCUSDT", "BUY", "1", "100"));
    Map<String, Long> before = db.counts();
    JsonObject again = place(limit(orderId, "acct-1", "BTCUSDT", "BUY", 1.0, "100.00"));
    assertTrue(again.getBoolean("duplicate"));
    assertEquals("NEW", again.getString("status"));
    assertEquals(before, db.counts());

    for (JsonObject different : List.of(
        limit(orderId, "acct-1", "BTCUSDT", "BUY", "1", "101"),
        limit(orderId, "acct-1", "BTCUSDT", "SELL", "1", "100"),
        limit(orderId, "acct-2", "BTCUSDT", "BUY", "1", "100"),
        limit(orderId, "acct-1", "BTCUSDT", "BUY", "2", "100"),
        market(orderId, "acct-1", "BTCUSDT", "BUY", "1"))) {
      JsonObject conflict = bus.refused("trading.orders.place", different, 409);
      assertEquals("CONFLICT", conflict.getString("error"));
      assertEquals("orderId", conflict.getString("field"));
    }
    assertEquals(before, db.counts());
    assertEquals("100", bus.ok("trading.orders.get", new JsonObject().put("orderId", orderId)).getString("price"));
  }

  @Test
  void acceptedRecordsTheVenueIdOnceAndTheOrderCanBeReadByIt() {
    String orderId = id("o");
    String ext = id("ext");
    place(limit(orderId, "acct-1", "BTCUSDT", "BUY", "1", "100"));
    JsonObject accepted = bus.ok("trading.orders.update", update(orderId, "ACCEPTED").put("externalOrderId", ext));
    assertEquals("ACCEPTED", accepted.getString("status"));
    assertEquals(ext, accepted.getString("externalOrderId"));
    assertFalse(accepted.getBoolean("duplicate"));
    List<Map<String, Object>> events = db.outboxOf(orderId);
    assertEquals(List.of("order.placed", "order.updated"), events.stream().map(e -> e.get("event_type")).toList());
    JsonObject payload = new JsonObject((String) events.get(1).get("payload"));
    assertEquals("NEW", payload.getString("previousStatus"));
    assertEquals("ACCEPTED", payload.getString("status"));

    Map<String, Long> before = db.counts();
    assertTrue(bus.ok("trading.orders.update", update(orderId, "ACCEPTED").put("externalOrderId", ext)).getBoolean("duplicate"));
    assertEquals(before, db.counts());
    assertEquals(orderId, bus.ok("trading.orders.get", new JsonObject().put("externalOrderId", ext)).getString("orderId"));

    assertEquals("externalOrderId", bus.refused("trading.orders.update",
        update(orderId, "ACCEPTED").put("externalOrderId", id("ext")), 409).getString("field"));
    String other = id("o");
    place(limit(other, "acct-1", "BTCUSDT", "BUY", "1", "100"));
    JsonObject taken = bus.refused("trading.orders.update", update(other, "ACCEPTED").put("externalOrderId", ext), 409);
    assertEquals("externalOrderId", taken.getString("field"));
    assertTrue(taken.getString("message").contains(orderId), taken.encode());
    assertEquals(before.get("outbox") + 1, db.count("outbox"), "only the second order's placement was written");
    assertEquals("NEW", bus.ok("trading.orders.get", new JsonObject().put("orderId", other)).getString("status"));
  }

  @Test
  void rejectedNeedsAReasonAndIsFinal() {
    String orderId = id("o");
    place(limit(orderId, "acct-1", "BTCUSDT", "BUY", "1", "100"));
    assertEquals("reason", bus.refused("trading.orders.update", update(orderId, "REJECTED"), 400).getString("field"));
    assertEquals("reason", bus.refused("trading.orders.update", update(orderId, "REJECTED").put("reason", " "), 400).getString("field"));
    assertEquals("reason", bus.refused("trading.orders.update",
        update(orderId, "REJECTED").put("reason", "no\u0000balance"), 400).getString("field"));
    assertEquals("reason", bus.refused("trading.orders.update",
        update(orderId, "REJECTED").put("reason", "no balance \ud800"), 400).getString("field"));
    JsonObject rejected = bus.ok("trading.orders.update", update(orderId, "REJECTED").put("reason", "insufficient balance"));
    assertEquals("REJECTED", rejected.getString("status"));
    assertEquals("insufficient balance", rejected.getString("rejectReason"));
    Map<String, Long> before = db.counts();
    for (String next : List.of("CANCELLED", "EXPIRED")) {
      assertEquals("CONFLICT", bus.refused("trading.orders.update", update(orderId, next), 409).getString("error"));
    }
    bus.refused("trading.orders.update", update(orderId, "ACCEPTED").put("externalOrderId", id("ext")), 409);
    bus.refused("trading.orders.cancel", new JsonObject().put("orderId", orderId), 409);
    bus.refused("trading.fills.record", fill(id("f"), orderId, "1", "100"), 409);
    assertEquals(before, db.counts());
  }

  @Test
  void venueUpdatesWithABadStatusAre400AndOnAnUnknownOrder404() {
    String orderId = id("o");
    place(limit(orderId, "acct-1", "BTCUSDT", "BUY", "1", "100"));
    Map<String, Long> before = db.counts();
    for (String status : List.of("FILLED", "PARTIALLY_FILLED", "NEW", "DONE")) {
      assertEquals("status", bus.refused("trading.orders.update", update(orderId, status), 400).getString("field"));
    }
    assertEquals("status", bus.refused("trading.orders.update", new JsonObject().put("orderId", orderId), 400).getString("field"));
    assertEquals("externalOrderId", bus.refused("trading.orders.update", update(orderId, "ACCEPTED"), 400).getString("field"));
    JsonObject missing = bus.refused("trading.orders.update", update(id("nope"), "CANCELLED"), 404);
    assertEquals("NOT_FOUND", missing.getString("error"));
    assertEquals("orderId", missing.getString("field"));
    bus.refused("trading.orders.cancel", new JsonObject().put("orderId", id("nope")), 404);
    bus.refused("trading.orders.get", new JsonObject().put("externalOrderId", id("nope")), 404);
    assertEquals("orderId", bus.refused("trading.orders.get", new JsonObject(), 400).getString("field"));
    assertEquals(before, db.counts());
  }

  @Test
  void cancelAndExpireCloseOpenOrdersAndAreIdempotentButAFilledOrderCannotBeCancelled() {
    String cancelled = id("o");
    place(limit(cancelled, "acct-1", "BTCUSDT", "BUY", "1", "100"));
    JsonObject c = bus.ok("trading.orders.cancel", new JsonObject().put("orderId", cancelled));
    assertEquals("CANCELLED", c.getString("status"));
    Map<String, Long> before = db.counts();
    assertTrue(bus.ok("trading.orders.cancel", new JsonObject().put("orderId", cancelled)).getBoolean("duplicate"));
    assertTrue(bus.ok("trading.orders.update", update(cancelled, "CANCELLED")).getBoolean("duplicate"));
    assertEquals(before, db.counts());
    bus.refused("trading.orders.update", update(cancelled, "EXPIRED"), 409);
    // the venue's ACCEPTED arriving after the local cancel: the id is recorded, the order stays CANCELLED
    String venueId = id("ext");
    JsonObject late = bus.ok("trading.orders.update", update(cancelled, "ACCEPTED").put("externalOrderId", venueId));
    assertEquals("CANCELLED", late.getString("status"));
    assertEquals(venueId, late.getString("externalOrderId"));
    bus.refused("trading.orders.update", update(cancelled, "ACCEPTED").put("externalOrderId", id("other")), 409);

    String expired = id("o");
    place(limit(expired, "acct-1", "BTCUSDT", "BUY", "2", "100"));
    bus.ok("trading.orders.update", update(expired, "ACCEPTED").put("externalOrderId", id("ext")));
    bus.ok("trading.fills.record", fill(id("f"), expired, "1", "100"));
    JsonObject e = bus.ok("trading.orders.update", update(expired, "EXPIRED"));
    assertEquals("EXPIRED", e.getString("status"));
    assertEquals("1", e.getString("filledQuantity"));
    bus.refused("trading.orders.cancel", new JsonObject().put("orderId", expired), 409);

    String filled = id("o");
    place(limit(filled, "acct-1", "BTCUSDT", "BUY", "1", "100"));
    bus.ok("trading.fills.record", fill(id("f"), filled, "1", "100"));
    before = db.counts();
    JsonObject refused = bus.refused("trading.orders.cancel", new JsonObject().put("orderId", filled), 409);
    assertTrue(refused.getString("message").contains("FILLED"), refused.encode());
    bus.refused("trading.orders.update", update(filled, "EXPIRED"), 409);
    assertEquals(before, db.counts());
    assertEquals("FILLED", bus.ok("trading.orders.get", new JsonObject().put("orderId", filled)).getString("status"));
  }

  @Test
  void listFiltersByAccountSymbolAndStatusNewestFirst() {
    String account = id("acct");
    String a = id("o");
    String b = id("o");
    String c = id("o");
    place(limit(a, account, "BTCUSDT", "BUY", "1", "100"));
    place(limit(b, account, "ETHUSDT", "BUY", "1", "100"));
    place(limit(c, account, "BTCUSDT", "SELL", "1", "100"));
    place(limit(id("o"), id("acct"), "BTCUSDT", "BUY", "1", "100"));
    bus.ok("trading.orders.cancel", new JsonObject().put("orderId", c));

    assertEquals(List.of(c, b, a), ids(list(new JsonObject().put("account", account))));
    assertEquals(List.of(c, a), ids(list(new JsonObject().put("account", account).put("symbol", "BTCUSDT"))));
    assertEquals(List.of(c), ids(list(new JsonObject().put("account", account).put("status", "CANCELLED"))));
    assertEquals(List.of(b, a), ids(list(new JsonObject().put("account", account).put("status", "new"))));
    assertEquals(List.of(a), ids(list(new JsonObject().put("account", account).put("symbol", "BTCUSDT").put("status", "NEW"))));
    assertTrue(ids(list(new JsonObject().put("symbol", "BTCUSDT"))).containsAll(List.of(a, c)));
    assertEquals(List.of(), ids(list(new JsonObject().put("account", id("empty")))));
    assertEquals("status", bus.refused("trading.orders.list", new JsonObject().put("status", "OPEN"), 400).getString("field"));
    assertEquals("limit", bus.refused("trading.orders.list", new JsonObject().put("limit", 1001), 400).getString("field"));
    assertEquals("limit", bus.refused("trading.orders.list", new JsonObject().put("limit", "10"), 400).getString("field"));
    assertEquals("cursor", bus.refused("trading.orders.list", new JsonObject().put("cursor", "abc"), 400).getString("field"));
  }

  @Test
  void aTimeRangeListsTheOrdersCreatedFromItsStartUpToButNotIncludingItsEnd() throws Exception {
    String account = id("acct");
    List<String> placed = new ArrayList<>();
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String orderId = id("o");
      placed.add(orderId);
      created.add(place(limit(orderId, account, "BTCUSDT", "BUY", "1", "100")).getString("createdAt"));
      Thread.sleep(3); // distinct creation times
    }
    JsonObject range = new JsonObject().put("account", account).put("from", created.get(1)).put("to", created.get(2));
    assertEquals(List.of(placed.get(1)), ids(list(range)));
    assertEquals(List.of(placed.get(2), placed.get(1)),
        ids(list(new JsonObject().put("account", account).put("from", created.get(1)))));
    assertEquals(List.of(placed.get(0)), ids(list(new JsonObject().put("account", account).put("to", created.get(1)))));
    assertEquals("to", bus.refused("trading.orders.list", new JsonObject().put("from", created.get(1))
        .put("to", created.get(1)), 400).getString("field"));
    assertEquals("from", bus.refused("trading.orders.list", new JsonObject().put("from", "yesterday"), 400)
        .getString("field"));
  }

  @Test
  void pagingWalksEveryOrderOnceWithNoGapsAcrossPages() {
    String account = id("acct");
    List<String> placed = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String orderId = id("o");
      placed.add(0, orderId);
      place(limit(orderId, account, i % 2 == 0 ? "BTCUSDT" : "ETHUSDT", "BUY", "1", "100"));
      if (i == 4) {
        place(limit(id("o"), id("acct"), "BTCUSDT", "BUY", "1", "100")); // another account's order in between
      }
    }
    List<String> walked = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject request = new JsonObject().put("account", account).put("limit", 3);
      if (cursor != null) {
        request.put("cursor", cursor);
      }
      JsonObject page = list(request);
      assertTrue(page.getJsonArray("orders").size() <= 3);
      walked.addAll(ids(page));
      cursor = page.getString("nextCursor");
      pages++;
      if (pages == 1) {
        place(limit(id("o"), account, "BTCUSDT", "BUY", "1", "100")); // a newer order does not shift later pages
      }
    } while (cursor != null && pages < 10);
    assertEquals(placed, walked);
    assertEquals(3, pages);

    List<String> btc = new ArrayList<>();
    cursor = null;
    do {
      JsonObject request = new JsonObject().put("account", account).put("symbol", "ETHUSDT").put("limit", 2);
      if (cursor != null) {
        request.put("cursor", cursor);
      }
      JsonObject page = list(request);
      btc.addAll(ids(page));
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    assertEquals(List.of(placed.get(0), placed.get(2), placed.get(4), placed.get(6)), btc);
  }

  private static JsonObject list(JsonObject request) {
    return bus.ok("trading.orders.list", request);
  }

  private static List<String> ids(JsonObject page) {
    JsonArray orders = page.getJsonArray("orders");
    return orders.stream().map(o -> ((JsonObject) o).getString("orderId")).toList();
  }
}
