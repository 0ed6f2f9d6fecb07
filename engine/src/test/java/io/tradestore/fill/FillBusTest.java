package io.tradestore.fill;

import io.tradestore.store.StoreWriter;
import io.tradestore.store.Write;
import io.tradestore.support.EngineFixture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** trading.fills.* through the event bus: one transaction per fill, checked in the database file. */
class FillBusTest extends EngineFixture {
  private static String placed(String account, String symbol, String side, String quantity) {
    String orderId = id("o");
    bus.ok("trading.orders.place", limit(orderId, account, symbol, side, quantity, "100"));
    return orderId;
  }

  @Test
  void aFillAdvancesTheOrderAndThePositionAndRepliesWithBoth() {
    String account = id("acct");
    String orderId = placed(account, "BTCUSDT", "BUY", "2");
    String fillId = id("f");
    long executedAt = 1_790_000_000_123L;
    JsonObject reply = bus.ok("trading.fills.record", fill(fillId, orderId, 0.5, "100.5")
        .put("fee", "0.01").put("feeAsset", "USDT").put("liquidity", "maker").put("tradeId", "t-1").put("executedAt", executedAt));
    assertFalse(reply.getBoolean("duplicate"));
    JsonObject f = reply.getJsonObject("fill");
    assertEquals(fillId, f.getString("fillId"));
    assertEquals("0.5", f.getString("quantity"));
    assertEquals("100.5", f.getString("price"));
    assertEquals("0.01", f.getString("fee"));
    assertEquals("USDT", f.getString("feeAsset"));
    assertEquals("MAKER", f.getString("liquidity"));
    assertEquals("t-1", f.getString("tradeId"));
    assertEquals("BUY", f.getString("side"));
    assertEquals(account, f.getString("account"));
    assertFalse(f.getBoolean("late"));
    assertEquals(Instant.ofEpochMilli(executedAt).toString(), f.getString("executedAt"));
    Instant.parse(f.getString("recordedAt"));

    JsonObject order = reply.getJsonObject("order");
    assertEquals("PARTIALLY_FILLED", order.getString("status"));
    assertEquals("0.5", order.getString("filledQuantity"));
    assertEquals("1.5", order.getString("remainingQuantity"));
    assertEquals("100.5", order.getString("averagePrice"));
    JsonObject position = reply.getJsonObject("position");
    assertEquals("0.5", position.getString("quantity"));
    assertEquals("100.5", position.getString("averagePrice"));
    assertEquals("0", position.getString("realizedPnl"));
    assertEquals(new JsonObject().put("USDT", "0.01"), position.getJsonObject("fees"));
    assertEquals(fillId, position.getString("lastFillId"));

    assertEquals(order, bus.ok("trading.orders.get", new JsonObject().put("orderId", orderId)));
    JsonObject stored = bus.ok("trading.positions.get", new JsonObject().put("account", account).put("symbol", "BTCUSDT"));
    assertEquals(position, stored);

    // second fill completes the order; the average is exact over both
    JsonObject second = bus.ok("trading.fills.record", fill(id("f"), orderId, "1.5", "101").put("executedAt", "2026-11-23T10:15:30.5Z"));
    assertEquals("FILLED", second.getJsonObject("order").getString("status"));
    assertEquals("100.875", second.getJsonObject("order").getString("averagePrice"));
    assertEquals("2026-11-23T10:15:30.500Z", second.getJsonObject("fill").getString("executedAt"));
  }

  @Test
  void aFillWritesItsThreeEventsInTheSameTransactionAsStringsPending() {
    String account = id("acct");
    String orderId = placed(account, "ETHUSDT", "SELL", "3");
    long seqBefore = maxSeq();
    String fillId = id("f");
    bus.ok("trading.fills.record", fill(fillId, orderId, "1", "2000.10").put("fee", 1.5).put("feeAsset", "USDT"));
    List<Map<String, Object>> rows = db.rows("SELECT * FROM outbox_audit WHERE seq > ? ORDER BY seq", seqBefore);
    assertEquals(List.of("fill.recorded", "order.updated", "position.changed"), rows.stream().map(r -> r.get("event_type")).toList());
    assertEquals(List.of("order", "order", "position"), rows.stream().map(r -> r.get("aggregate_type")).toList());
    assertEquals(List.of(orderId, orderId, account + "/ETHUSDT"), rows.stream().map(r -> r.get("aggregate_id")).toList());
    rows.forEach(r -> assertEquals("PENDING", r.get("status")));
    assertEquals(1, rows.stream().map(r -> r.get("created_at")).distinct().count(), "one transaction, one instant");

    JsonObject fillEvent = new JsonObject((String) rows.get(0).get("payload"));
    assertEquals(fillId, fillEvent.getString("fillId"));
    assertEquals("2000.1", fillEvent.getString("price"));
    assertEquals("1", fillEvent.getString("quantity"));
    assertEquals("1.5", fillEvent.getString("fee"));
    assertEquals(false, fillEvent.getBoolean("late"));
    JsonObject orderEvent = new JsonObject((String) rows.get(1).get("payload"));
    assertEquals("NEW", orderEvent.getString("previousStatus"));
    assertEquals("PARTIALLY_FILLED", orderEvent.getString("status"));
    assertEquals("1", orderEvent.getString("filledQuantity"));
    assertEquals("2000.1", orderEvent.getString("averagePrice"));
    JsonObject positionEvent = new JsonObject((String) rows.get(2).get("payload"));
    assertEquals("-1", positionEvent.getString("quantity"));
    assertEquals("2000.1", positionEvent.getString("averagePrice"));
    assertEquals("0", positionEvent.getString("realizedPnl"));
    assertEquals("1.5", positionEvent.getJsonObject("fees").getString("USDT"));
  }

  private static long maxSeq() {
    Object seq = db.rows("SELECT coalesce(max(seq), 0) AS s FROM outbox").get(0).get("s");
    return ((Number) seq).longValue();
  }

  @Test
  void badFillsAreRefusedWith400NamingTheFieldAndWriteNothing() {
    String orderId = placed(id("acct"), "BTCUSDT", "BUY", "1");
    Map<String, Long> before = db.counts();
    String f = id("f");
    refusedField(fill(null, orderId, "1", "100"), "fillId");
    refusedField(fill(f, null, "1", "100"), "orderId");
    refusedField(fill(f, orderId, "1", null), "price");
    refusedField(fill(f, orderId, "1", "-100"), "price");
    refusedField(fill(f, orderId, "0", "100"), "quantity");
    refusedField(fill(f, orderId, "-0.5", "100"), "quantity");
    refusedField(fill(f, orderId, List.of(1), "100"), "quantity");
    refusedField(fill(f, orderId, "1", "100").put("fee", "0.1"), "feeAsset");
    refusedField(fill(f, orderId, "1", "100").put("feeAsset", "USDT"), "fee");
    refusedField(fill(f, orderId, "1", "100").put("liquidity", "BOTH"), "liquidity");
    refusedField(fill(f, orderId, "1", "100").put("executedAt", "yesterday"), "executedAt");
    refusedField(fill(f, orderId, "1", "100").put("executedAt", 1.5e12), "executedAt");
    assertEquals(before, db.counts());

    JsonObject unknown = bus.refused("trading.fills.record", fill(f, id("nope"), "1", "100"), 404);
    assertEquals("orderId", unknown.getString("field"));
    JsonObject over = bus.refused("trading.fills.record", fill(f, orderId, "1.000001", "100"), 409);
    assertEquals("CONFLICT", over.getString("error"));
    assertEquals("quantity", over.getString("field"));
    assertTrue(over.getString("message").contains("overfill"), over.encode());
    assertEquals(before, db.counts());
  }

  private static void refusedField(JsonObject body, String field) {
    JsonObject refused = bus.refused("trading.fills.record", body, 400);
    assertEquals("INVALID_REQUEST", refused.getString("error"));
    assertEquals(field, refused.getString("field"), refused.encode());
  }

  @Test
  void resendingAFillIsADuplicateThatChangesNothingAndDifferentContentIs409() {
    String account = id("acct");
    String orderId = placed(account, "BTCUSDT", "BUY", "5");
    String fillId = id("f");
    JsonObject body = fill(fillId, orderId, "1", "100").put("executedAt", 1_790_000_000_000L).put("fee", "0.1").put("feeAsset", "USDT");
    JsonObject first = bus.ok("trading.fills.record", body);
    Map<String, Long> before = db.counts();
    List<Map<String, Object>> orders = db.snapshot("orders", "id");
    List<Map<String, Object>> positions = db.snapshot("positions", "account, symbol");

    JsonObject again = bus.ok("trading.fills.record", body.copy().put("quantity", 1.0).put("executedAt", "2026-09-21T14:13:20Z"));
    assertTrue(again.getBoolean("duplicate"));
    assertEquals(first.getJsonObject("fill"), again.getJsonObject("fill"));
    assertEquals(first.getJsonObject("order"), again.getJsonObject("order"));
    assertEquals(first.getJsonObject("position").getString("quantity"), again.getJsonObject("position").getString("quantity"));
    assertEquals(before, db.counts());
    assertEquals(orders, db.snapshot("orders", "id"));
    assertEquals(positions, db.snapshot("positions", "account, symbol"));

    for (JsonObject different : List.of(
        body.copy().put("quantity", "2"),
        body.copy().put("price", "100.01"),
        body.copy().put("fee", "0.2"),
        body.copy().put("executedAt", 1_790_000_000_001L),
        body.copy().put("orderId", placed(account, "BTCUSDT", "BUY", "5")))) {
      long outbox = db.count("outbox");
      JsonObject conflict = bus.refused("trading.fills.record", different, 409);
      assertEquals("fillId", conflict.getString("field"), conflict.encode());
      assertEquals(outbox, db.count("outbox"));
    }
    assertEquals(1, db.count("fills WHERE fill_id = ?", fillId));
    assertEquals(orders.get(orders.size() - 1).get("filled_quantity"),
        db.rows("SELECT filled_quantity FROM orders WHERE order_id = ?", orderId).get(0).get("filled_quantity"));
  }

  @Test
  void aResendWithoutExecutedAtMatchesTheFillThatDefaultedItToReceipt() throws Exception {
    String orderId = placed(id("acct"), "BTCUSDT", "BUY", "5");
    JsonObject body = fill(id("f"), orderId, "1", "100");
    bus.ok("trading.fills.record", body);
    Thread.sleep(5);
    long fills = db.count("fills");
    assertTrue(bus.ok("trading.fills.record", body).getBoolean("duplicate"));
    assertEquals(fills, db.count("fills"));
  }

  @Test
  void aFillOnACancelledOrderIsRecordedFlaggedLateAndTheOrderStaysCancelled() {
    String account = id("acct");
    String orderId = placed(account, "BTCUSDT", "BUY", "2");
    bus.ok("trading.orders.cancel", new JsonObject().put("orderId", orderId));
    String fillId = id("f");
    JsonObject reply = bus.ok("trading.fills.record", fill(fillId, orderId, "1", "100"));
    assertTrue(reply.getJsonObject("fill").getBoolean("late"));
    assertEquals("CANCELLED", reply.getJsonObject("order").getString("status"));
    assertEquals("1", reply.getJsonObject("order").getString("filledQuantity"));
    assertEquals("1", reply.getJsonObject("position").getString("quantity"), "a late fill still moves the position");
    assertEquals(1, db.count("fills WHERE fill_id = ? AND late = 1", fillId));
    JsonObject event = new JsonObject((String) db.rows(
        "SELECT payload FROM outbox_audit WHERE event_type = 'fill.recorded' AND aggregate_id = ?", orderId).get(0).get("payload"));
    assertTrue(event.getBoolean("late"), "the event says the fill is late");
    // and it may still not overfill
    bus.refused("trading.fills.record", fill(id("f"), orderId, "1.5", "100"), 409);

    String expired = placed(account, "BTCUSDT", "SELL", "1");
    bus.ok("trading.orders.update", new JsonObject().put("orderId", expired).put("status", "EXPIRED"));
    JsonObject late = bus.ok("trading.fills.record", fill(id("f"), expired, "1", "100"));
    assertTrue(late.getJsonObject("fill").getBoolean("late"));
    assertEquals("EXPIRED", late.getJsonObject("order").getString("status"));
  }

  @Test
  void aFillBeforeTheVenueAcceptedIsAllowedAndTheLateAcceptedOnlyRecordsTheVenueId() {
    String orderId = placed(id("acct"), "BTCUSDT", "BUY", "2");
    assertEquals("PARTIALLY_FILLED", bus.ok("trading.fills.record", fill(id("f"), orderId, "1", "100"))
        .getJsonObject("order").getString("status"));
    String ext = id("ext");
    JsonObject accepted = bus.ok("trading.orders.update", new JsonObject().put("orderId", orderId)
        .put("status", "ACCEPTED").put("externalOrderId", ext));
    assertEquals("PARTIALLY_FILLED", accepted.getString("status"));
    assertEquals(ext, accepted.getString("externalOrderId"));
    assertEquals("FILLED", bus.ok("trading.fills.record", fill(id("f"), orderId, "1", "100")).getJsonObject("order").getString("status"));
    Map<String, Long> before = db.counts();
    bus.refused("trading.fills.record", fill(id("f"), orderId, "0.00000001", "100"), 409);
    assertEquals(before, db.counts());
  }

  @Test
  void fillsOfAnOrderArePagedInArrivalOrder() {
    String orderId = placed(id("acct"), "BTCUSDT", "BUY", "10");
    List<String> recorded = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String fillId = id("f");
      recorded.add(fillId);
      bus.ok("trading.fills.record", fill(fillId, orderId, "1", 100 + i));
    }
    bus.ok("trading.fills.record", fill(id("f"), placed(id("acct"), "BTCUSDT", "BUY", "1"), "1", "100"));
    List<String> walked = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject request = new JsonObject().put("orderId", orderId).put("limit", 2);
      if (cursor != null) {
        request.put("cursor", cursor);
      }
      JsonObject page = bus.ok("trading.fills.list", request);
      walked.addAll(fillIds(page));
      cursor = page.getString("nextCursor");
      pages++;
    } while (cursor != null && pages < 10);
    assertEquals(recorded, walked);
    assertEquals(List.of(), fillIds(bus.ok("trading.fills.list", new JsonObject().put("orderId", id("nope")))));
  }

  @Test
  void fillsOfASymbolAreListedByExecutionTimeWithinFromInclusiveToExclusiveAndPaged() {
    String symbol = id("SYM");
    String buy = placed(id("acct"), symbol, "BUY", "10");
    String sell = placed(id("acct"), symbol, "SELL", "10");
    long t0 = 1_790_000_000_000L;
    // arrive out of execution order: the list follows executedAt, not arrival
    int[] minutes = {3, 1, 4, 0, 2, 5};
    List<String> byMinute = new ArrayList<>(List.of("", "", "", "", "", ""));
    for (int i = 0; i < minutes.length; i++) {
      String fillId = id("f");
      byMinute.set(minutes[i], fillId);
      bus.ok("trading.fills.record", fill(fillId, i % 2 == 0 ? buy : sell, "1", "100").put("executedAt", t0 + minutes[i] * 60_000L));
    }
    bus.ok("trading.fills.record", fill(id("f"), placed(id("acct"), "OTHER", "BUY", "1"), "1", "1").put("executedAt", t0 + 60_000));

    assertEquals(byMinute, fillIds(bus.ok("trading.fills.list", new JsonObject().put("symbol", symbol))));
    JsonObject window = new JsonObject().put("symbol", symbol)
        .put("from", Instant.ofEpochMilli(t0 + 60_000).toString()).put("to", t0 + 4 * 60_000L);
    assertEquals(byMinute.subList(1, 4), fillIds(bus.ok("trading.fills.list", window)));

    List<String> walked = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject request = new JsonObject().put("symbol", symbol).put("from", t0).put("limit", 4);
      if (cursor != null) {
        request.put("cursor", cursor);
      }
      JsonObject page = bus.ok("trading.fills.list", request);
      walked.addAll(fillIds(page));
      cursor = page.getString("nextCursor");
      pages++;
    } while (cursor != null && pages < 10);
    assertEquals(byMinute, walked);
    assertEquals(2, pages);

    assertEquals("orderId", bus.refused("trading.fills.list", new JsonObject(), 400).getString("field"));
    assertEquals("to", bus.refused("trading.fills.list", new JsonObject().put("symbol", symbol).put("from", t0).put("to", t0), 400).getString("field"));
    assertEquals("cursor", bus.refused("trading.fills.list", new JsonObject().put("symbol", symbol).put("cursor", "x"), 400).getString("field"));
    assertEquals("cursor", bus.refused("trading.fills.list", new JsonObject().put("orderId", buy).put("cursor", "-3"), 400).getString("field"));
    assertEquals("from", bus.refused("trading.fills.list", new JsonObject().put("symbol", symbol).put("from", "soon"), 400).getString("field"));
  }

  private static List<String> fillIds(JsonObject page) {
    JsonArray fills = page.getJsonArray("fills");
    return fills.stream().map(f -> ((JsonObject) f).getString("fillId")).toList();
  }

  // --- a database failure in the middle of the fill transaction -------------------------------------------------

  private static void armPositionTrigger() {
    db.execute("CREATE TRIGGER IF NOT EXISTS fail_position BEFORE INSERT ON positions WHEN NEW.symbol = 'BOOM' "
        + "BEGIN SELECT RAISE(ABORT, 'injected'); END;");
  }

  private record Snapshot(List<Map<String, Object>> fills, List<Map<String, Object>> orders,
                          List<Map<String, Object>> positions, List<Map<String, Object>> outbox) {
    static Snapshot take() {
      return new Snapshot(db.snapshot("fills", "id"), db.snapshot("orders", "id"),
          db.snapshot("positions", "account, symbol"), db.outboxContent());
    }
  }

  @Test
  void aDatabaseFailureInsideTheFillTransactionLeavesEverythingExactlyAsBeforeAndTheEngineServes() {
    armPositionTrigger();
    String account = id("acct");
    String orderId = placed(account, "BOOM", "BUY", "2");
    Snapshot before = Snapshot.take();

    JsonObject failure = bus.refused("trading.fills.record", fill(id("f"), orderId, "1", "100"), 500);
    assertEquals("INTERNAL", failure.getString("error"));
    assertFalse(failure.getString("message").contains("injected"), "internals do not leak: " + failure.encode());

    assertEquals(before, Snapshot.take(), "fill, order, position and events are all rolled back");
    assertEquals("NEW", bus.ok("trading.orders.get", new JsonObject().put("orderId", orderId)).getString("status"));

    String ok = placed(account, "BTCUSDT", "BUY", "1");
    assertEquals("FILLED", bus.ok("trading.fills.record", fill(id("f"), ok, "1", "100")).getJsonObject("order").getString("status"));
    assertEquals("1", bus.ok("trading.positions.get", new JsonObject().put("account", account).put("symbol", "BTCUSDT")).getString("quantity"));
  }

  @Test
  void inAGroupCommitOnlyTheFailingFillIsRolledBackAndTheOthersCommit() throws Exception {
    armPositionTrigger();
    String account = id("acct");
    List<String> good = List.of(placed(account, "BTCUSDT", "BUY", "1"), placed(account, "ETHUSDT", "SELL", "1"),
        placed(account, "BTCUSDT", "BUY", "1"));
    String boom = placed(account, "BOOM", "BUY", "1");
    Snapshot before = Snapshot.take();

    Vertx vertx = running.engine.vertx();
    StoreWriter writer = running.engine.startup().store().writer();
    // hold the writer in a transaction for a moment, so that the fills queue up and go in one batch
    Future<Object> held = writer.submit(Write.sql(tx -> {
      Promise<Object> release = Promise.promise();
      vertx.setTimer(400, t -> release.complete());
      return release.future();
    }));
    List<Future<Message<Object>>> replies = new ArrayList<>();
    List<String> fillIds = new ArrayList<>();
    for (String orderId : List.of(good.get(0), good.get(1), boom, good.get(2))) {
      String fillId = id("f");
      fillIds.add(fillId);
      replies.add(vertx.eventBus().request("trading.fills.record", fill(fillId, orderId, "1", "100")));
    }
    held.await(10, TimeUnit.SECONDS);
    Future.join(replies).transform(x -> Future.succeededFuture()).await(10, TimeUnit.SECONDS);

    for (int i = 0; i < replies.size(); i++) {
      Future<Message<Object>> reply = replies.get(i);
      if (i == 2) {
        assertTrue(reply.failed());
        assertEquals(500, assertInstanceOf(ReplyException.class, reply.cause()).failureCode());
      } else {
        assertTrue(reply.succeeded(), String.valueOf(reply.cause()));
        assertEquals("FILLED", ((JsonObject) reply.result().body()).getJsonObject("order").getString("status"));
      }
    }
    assertEquals(3, db.count("fills WHERE fill_id IN (?, ?, ?)", fillIds.get(0), fillIds.get(1), fillIds.get(3)));
    assertEquals(0, db.count("fills WHERE order_id = ?", boom));
    assertEquals("NEW", db.rows("SELECT status FROM orders WHERE order_id = ?", boom).get(0).get("status"));
    assertEquals("0", db.rows("SELECT filled_quantity FROM orders WHERE order_id = ?", boom).get(0).get("filled_quantity"));
    assertEquals(0, db.count("outbox WHERE aggregate_id = ? AND event_type <> 'order.placed'", boom));
    assertEquals("2", db.rows("SELECT quantity FROM positions WHERE account = ? AND symbol = 'BTCUSDT'", account).get(0).get("quantity"));
    assertEquals(before.outbox().size() + 9, db.count("outbox"), "three events for each of the three good fills");
    assertNotEquals(before, Snapshot.take());
    assertNull(db.rows("SELECT * FROM positions WHERE symbol = 'BOOM'").stream().findFirst().orElse(null));
  }

  @Test
  void theSameFillSentFiveTimesAtOnceIsRecordedOnceAndTheOthersAreDuplicates() throws Exception {
    String account = id("acct");
    String orderId = placed(account, "BTCUSDT", "BUY", "3");
    JsonObject body = fill(id("f"), orderId, "1", "100").put("executedAt", 1_790_000_000_000L);
    long outbox = db.count("outbox");
    List<Future<Message<Object>>> replies = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      replies.add(running.engine.vertx().eventBus().request("trading.fills.record", body));
    }
    Future.all(replies).await(10, TimeUnit.SECONDS);
    long firsts = replies.stream().filter(r -> !((JsonObject) r.result().body()).getBoolean("duplicate")).count();
    assertEquals(1, firsts);
    assertEquals(1, db.count("fills WHERE order_id = ?", orderId));
    assertEquals(outbox + 3, db.count("outbox"));
    assertEquals("1", bus.ok("trading.positions.get", new JsonObject().put("account", account).put("symbol", "BTCUSDT")).getString("quantity"));
  }

  @Test
  void aMarketOrderIsFilledAtTheVenuePrice() {
    String account = id("acct");
    String orderId = id("o");
    bus.ok("trading.orders.place", market(orderId, account, "BTCUSDT", "BUY", "1"));
    JsonObject reply = bus.ok("trading.fills.record", fill(id("f"), orderId, "1", "123.45"));
    assertEquals("123.45", reply.getJsonObject("order").getString("averagePrice"));
    assertEquals("123.45", reply.getJsonObject("position").getString("averagePrice"));
  }

  @Test
  void anAccountsFillsOfASymbolAreListedByExecutionTimeWithoutTheOtherAccounts() {
    String account = id("acct");
    String other = id("acct");
    long t0 = 1_790_000_000_000L;
    String btc = placed(account, "BTCUSDT", "BUY", "10");
    String eth = placed(account, "ETHUSDT", "BUY", "10");
    String theirs = placed(other, "BTCUSDT", "BUY", "10");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String fillId = id("f");
      bus.ok("trading.fills.record", fill(fillId, i % 2 == 0 ? btc : eth, "1", "100").put("executedAt", t0 + (4 - i) * 1_000));
      expected.add(0, fillId); // executed in the reverse of the order they are recorded
      bus.ok("trading.fills.record", fill(id("f"), theirs, "1", "100").put("executedAt", t0 + i * 1_000));
    }
    List<String> ofBtc = List.of(expected.get(1), expected.get(3)); // executed last-recorded first
    JsonObject request = new JsonObject().put("account", account).put("symbol", "BTCUSDT");
    assertEquals(ofBtc, fillIds(bus.ok("trading.fills.list", request)));
    assertEquals(List.of(ofBtc.get(1)), fillIds(bus.ok("trading.fills.list", request.copy()
        .put("from", t0 + 3_000).put("to", t0 + 5_000))));
    JsonObject first = bus.ok("trading.fills.list", request.copy().put("limit", 1));
    JsonObject second = bus.ok("trading.fills.list", request.copy().put("limit", 1).put("cursor", first.getString("nextCursor")));
    assertEquals(List.of(ofBtc.get(0)), fillIds(first));
    assertEquals(List.of(ofBtc.get(1)), fillIds(second));
    assertNull(second.getValue("nextCursor"));
    assertEquals("symbol", bus.refused("trading.fills.list", new JsonObject().put("account", account), 400)
        .getString("field"));
  }
}
