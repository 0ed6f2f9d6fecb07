package io.tradestore.quote;

import io.tradestore.support.EngineFixture;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tradestore.support.Trading.id;
import static io.tradestore.support.Trading.limit;
import static io.tradestore.support.Trading.quote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** trading.quotes.* through the event bus, with what each request leaves in the database file. */
class QuoteBusTest extends EngineFixture {
  private static JsonObject submit(JsonObject body) {
    return bus.ok("trading.quotes.submit", body);
  }

  @Test
  void aSubmittedQuoteIsStoredActiveWithItsSpreadAndMidAsStrings() {
    String quoteId = id("q");
    JsonObject reply = submit(quote(quoteId, "BTCUSDT", "99", "101")
        .put("sourceSymbol", "BTC-USD").put("sourceBidPrice", "98.5").put("sourceAskPrice", 101.5));
    assertEquals(quoteId, reply.getString("quoteId"));
    assertEquals("ACTIVE", reply.getString("status"));
    assertEquals("200", reply.getString("spreadBps"));
    assertEquals("100", reply.getString("midPrice"));
    assertEquals("99", reply.getString("bidPrice"));
    assertEquals("101.5", reply.getString("sourceAskPrice"), "a JSON number comes back as a string");
    assertEquals("BTC-USD", reply.getString("sourceSymbol"));
    assertFalse(reply.getBoolean("duplicate"));
    assertNull(reply.getValue("expiresAt"));
    Instant.parse(reply.getString("createdAt"));

    JsonObject got = bus.ok("trading.quotes.get", new JsonObject().put("quoteId", quoteId));
    reply.remove("duplicate");
    assertEquals(reply, got);

    JsonObject payload = db.onlyPendingEvent(quoteId, "quote", "quote.submitted");
    assertEquals("200", payload.getString("spreadBps"));
    assertEquals("99", payload.getString("bidPrice"));
  }

  @Test
  void decimalsMayBeJsonNumbersAndExpiryIsoOrEpochMillis() {
    long expiresAt = System.currentTimeMillis() + 600_000;
    JsonObject reply = submit(new JsonObject().put("quoteId", id("q")).put("symbol", "ETHUSDT")
        .put("bidPrice", 0.1).put("bidQuantity", 3).put("askPrice", 0.3).put("askQuantity", 2.50)
        .put("expiresAt", expiresAt));
    assertEquals("0.1", reply.getString("bidPrice"));
    assertEquals("3", reply.getString("bidQuantity"));
    assertEquals("2.5", reply.getString("askQuantity"));
    assertEquals("0.2", reply.getString("midPrice"));
    assertEquals("10000", reply.getString("spreadBps"));
    assertEquals(Instant.ofEpochMilli(expiresAt).toString(), reply.getString("expiresAt"));

    String iso = Instant.ofEpochMilli(expiresAt).toString();
    JsonObject isoReply = submit(quote(id("q"), "ETHUSDT", "1", "2").put("expiresAt", iso));
    assertEquals(iso, isoReply.getString("expiresAt"));
  }

  @Test
  void badQuotesAreRefusedWith400NamingTheFieldAndWriteNothing() {
    Map<String, Long> before = db.counts();
    String quoteId = id("q");
    assertField(quote(quoteId, "BTCUSDT", "99", "101").putNull("symbol"), "symbol");
    assertField(quote(quoteId, "BTCUSDT", "99", "101").put("symbol", 42), "symbol");
    assertField(quote(quoteId, "BTCUSDT", "99", "101").put("symbol", "  "), "symbol");
    assertField(quote(null, "BTCUSDT", "99", "101"), "quoteId");
    assertField(quote(quoteId, "BTCUSDT", "abc", "101"), "bidPrice");
    assertField(quote(quoteId, "BTCUSDT", true, "101"), "bidPrice");
    assertField(quote(quoteId, "BTCUSDT", "99", "101").put("bidQuantity", "0"), "bidQuantity");
    assertField(quote(quoteId, "BTCUSDT", "99", "101").put("askQuantity", -1), "askQuantity");
    assertField(quote(quoteId, "BTCUSDT", "0", "101"), "bidPrice");
    assertField(quote(quoteId, "BTCUSDT", "102", "101"), "bidPrice"); // crossed
    assertField(quote(quoteId, "BTCUSDT", "99", "101").put("expiresAt", "tomorrow"), "expiresAt");
    assertField(quote(quoteId, "BTCUSDT", "99", "101").put("expiresAt", System.currentTimeMillis() - 1), "expiresAt");
    assertField(quote(quoteId, "BTCUSDT", "99", "101").put("sourceBidPrice", "-5"), "sourceBidPrice");
    JsonObject refused = bus.refused("trading.quotes.submit", quote(quoteId, "BTCUSDT", "99", "101").put("bidQuantity", "0"), 400);
    assertEquals("INVALID_REQUEST", refused.getString("error"));
    assertTrue(refused.getString("message").contains("positive"), refused.encode());
    assertEquals(before, db.counts(), "a refused quote writes nothing");
    bus.refused("trading.quotes.get", new JsonObject().put("quoteId", quoteId), 404);
  }

  @Test
  void aHugeExponentIsRefusedAt400InsteadOfExpandingIntoAGiantNumber() {
    Map<String, Long> before = db.counts();
    assertField(quote(id("q"), "BTCUSDT", "99", "1e999999999"), "askPrice");
    assertField(quote(id("q"), "BTCUSDT", "1e-999999999", "101"), "bidPrice");
    assertEquals(before, db.counts());
  }

  @Test
  void idsWithALoneSurrogateOrANulAreRefusedNamingTheFieldAndWriteNothing() {
    Map<String, Long> before = db.counts();
    String base = id("q");
    // "\ud800" and "\udfff" were both stored as "?": the second collided with the first's primary key (500)
    for (String quoteId : new String[] {base + "\ud800", base + "\udfff", base + "\u0000x"}) {
      assertField(quote(quoteId, "BTCUSDT", "99", "101"), "quoteId");
      bus.refused("trading.quotes.get", new JsonObject().put("quoteId", quoteId), 400);
    }
    assertField(quote(id("q"), "BTC\u0000USDT", "99", "101"), "symbol");
    assertField(quote(id("q"), "BTCUSDT", "99", "101").put("sourceSymbol", "\udc00BTC"), "sourceSymbol");
    assertEquals(before, db.counts(), "a refused quote writes nothing");
    assertEquals(0, db.count("quotes WHERE quote_id LIKE ?", base + "%"));

    String plain = base + "?";
    assertFalse(submit(quote(plain, "BTCUSDT", "99", "101")).getBoolean("duplicate"), "a real '?' is nobody's duplicate");
  }

  private static void assertField(JsonObject body, String field) {
    JsonObject refused = bus.refused("trading.quotes.submit", body, 400);
    assertEquals(field, refused.getString("field"), refused.encode());
    assertEquals("INVALID_REQUEST", refused.getString("error"));
  }

  @Test
  void resendingAQuoteIsADuplicateThatChangesNothingAndDifferentContentIs409() {
    String quoteId = id("q");
    JsonObject body = quote(quoteId, "BTCUSDT", "99", "101");
    JsonObject first = submit(body);
    Map<String, Long> before = db.counts();
    JsonObject again = submit(quote(quoteId, "BTCUSDT", 99.0, "101.00"));
    assertTrue(again.getBoolean("duplicate"));
    assertEquals(first.getString("createdAt"), again.getString("createdAt"));
    assertEquals(before, db.counts());

    JsonObject conflict = bus.refused("trading.quotes.submit", quote(quoteId, "BTCUSDT", "99", "101.5"), 409);
    assertEquals("CONFLICT", conflict.getString("error"));
    assertEquals("quoteId", conflict.getString("field"));
    assertEquals(before, db.counts());
    assertEquals("101", bus.ok("trading.quotes.get", new JsonObject().put("quoteId", quoteId)).getString("askPrice"));
  }

  @Test
  void cancellingAQuoteMarksItCancelledOnceAndWritesOneEvent() {
    String quoteId = id("q");
    submit(quote(quoteId, "SOLUSDT", "10", "11"));
    JsonObject cancelled = bus.ok("trading.quotes.cancel", new JsonObject().put("quoteId", quoteId));
    assertEquals("CANCELLED", cancelled.getString("status"));
    assertFalse(cancelled.getBoolean("duplicate"));
    List<Map<String, Object>> events = db.outboxOf(quoteId);
    assertEquals(List.of("quote.submitted", "quote.cancelled"), events.stream().map(e -> e.get("event_type")).toList());
    assertEquals("CANCELLED", new JsonObject((String) events.get(1).get("payload")).getString("status"));

    Map<String, Long> before = db.counts();
    assertTrue(bus.ok("trading.quotes.cancel", new JsonObject().put("quoteId", quoteId)).getBoolean("duplicate"));
    assertEquals(before, db.counts());
    assertEquals("CANCELLED", db.rows("SELECT status FROM quotes WHERE quote_id = ?", quoteId).get(0).get("status"));
  }

  @Test
  void cancelAndGetOfAnUnknownQuoteAre404AndAMissingIdIs400() {
    assertEquals("quoteId", bus.refused("trading.quotes.cancel", new JsonObject().put("quoteId", id("nope")), 404).getString("field"));
    assertEquals("NOT_FOUND", bus.refused("trading.quotes.get", new JsonObject().put("quoteId", id("nope")), 404).getString("error"));
    assertEquals("quoteId", bus.refused("trading.quotes.get", new JsonObject(), 400).getString("field"));
    assertEquals("quoteId", bus.refused("trading.quotes.cancel", new JsonObject().put("quoteId", 7), 400).getString("field"));
  }

  @Test
  void anOrderOnAnActiveQuoteUsesItInTheSameTransactionAndASecondOrderOnItIs409() {
    String quoteId = id("q");
    String orderId = id("o");
    submit(quote(quoteId, "BTCUSDT", "99", "101"));
    JsonObject order = bus.ok("trading.orders.place", limit(orderId, "acct-q", "BTCUSDT", "BUY", "1", "101").put("quoteId", quoteId));
    assertEquals(quoteId, order.getString("quoteId"));

    JsonObject used = bus.ok("trading.quotes.get", new JsonObject().put("quoteId", quoteId));
    assertEquals("USED", used.getString("status"));
    assertEquals(orderId, used.getString("usedByOrderId"));
    List<Map<String, Object>> quoteEvents = db.outboxOf(quoteId);
    assertEquals(List.of("quote.submitted", "quote.used"), quoteEvents.stream().map(e -> e.get("event_type")).toList());
    List<Map<String, Object>> orderEvents = db.outboxOf(orderId);
    assertEquals("order.placed", orderEvents.get(0).get("event_type"));
    assertEquals(orderEvents.get(0).get("created_at"), quoteEvents.get(1).get("created_at"), "one transaction, one instant");
    assertEquals(((Number) orderEvents.get(0).get("seq")).longValue() + 1, ((Number) quoteEvents.get(1).get("seq")).longValue(),
        "order.placed and quote.used are written together");

    Map<String, Long> before = db.counts();
    JsonObject second = bus.refused("trading.orders.place",
        limit(id("o"), "acct-q", "BTCUSDT", "BUY", "1", "101").put("quoteId", quoteId), 409);
    assertEquals("quoteId", second.getString("field"));
    assertTrue(second.getString("message").contains("USED"), second.encode());
    assertEquals(before, db.counts(), "the refused order is not stored");
    bus.refused("trading.quotes.cancel", new JsonObject().put("quoteId", quoteId), 409);

    // the first order resent is still a duplicate, not a conflict with its own use of the quote
    assertTrue(bus.ok("trading.orders.place", limit(orderId, "acct-q", "BTCUSDT", "BUY", "1", "101").put("quoteId", quoteId))
        .getBoolean("duplicate"));
  }

  @Test
  void twoOrdersRacingForOneQuoteGetItOnceAndTheOtherIs409() throws Exception {
    String quoteId = id("q");
    submit(quote(quoteId, "BTCUSDT", "99", "101"));
    List<Future<io.vertx.core.eventbus.Message<Object>>> replies = new ArrayList<>();
    List<String> orderIds = List.of(id("o"), id("o"), id("o"));
    for (String orderId : orderIds) {
      replies.add(running.engine.vertx().eventBus().request("trading.orders.place",
          limit(orderId, "acct-q", "BTCUSDT", "BUY", "1", "101").put("quoteId", quoteId)));
    }
    Future.join(replies).transform(x -> Future.succeededFuture()).await(10, TimeUnit.SECONDS);
    assertEquals(1, replies.stream().filter(Future::succeeded).count());
    replies.stream().filter(Future::failed).forEach(r ->
        assertEquals(409, ((io.vertx.core.eventbus.ReplyException) r.cause()).failureCode()));
    String winner = orderIds.get(replies.indexOf(replies.stream().filter(Future::succeeded).findFirst().orElseThrow()));
    assertEquals(winner, bus.ok("trading.quotes.get", new JsonObject().put("quoteId", quoteId)).getString("usedByOrderId"));
    assertEquals(1, db.count("orders WHERE quote_id = ?", quoteId));
    assertEquals(1, db.count("outbox WHERE aggregate_id = ? AND event_type = 'quote.used'", quoteId));
  }

  @Test
  void anOrderOnAnUnknownCancelledOrOtherSymbolQuoteIsRefusedAndStoresNothing() {
    Map<String, Long> before = db.counts();
    assertEquals("NOT_FOUND", bus.refused("trading.orders.place",
        limit(id("o"), "acct-q", "BTCUSDT", "BUY", "1", "101").put("quoteId", id("nope")), 404).getString("error"));
    assertEquals(before, db.counts());

    String cancelled = id("q");
    submit(quote(cancelled, "BTCUSDT", "99", "101"));
    bus.ok("trading.quotes.cancel", new JsonObject().put("quoteId", cancelled));
    before = db.counts();
    bus.refused("trading.orders.place", limit(id("o"), "acct-q", "BTCUSDT", "BUY", "1", "101").put("quoteId", cancelled), 409);

    String eth = id("q");
    submit(quote(eth, "ETHUSDT", "99", "101"));
    Map<String, Long> afterEthQuote = db.counts();
    bus.refused("trading.orders.place", limit(id("o"), "acct-q", "BTCUSDT", "BUY", "1", "101").put("quoteId", eth), 409);
    assertEquals(afterEthQuote, db.counts());
    assertEquals("ACTIVE", bus.ok("trading.quotes.get", new JsonObject().put("quoteId", eth)).getString("status"));
  }

  @Test
  void aQuotePastItsExpiryIsExpiredForOrdersCancelAndTheActiveList() throws Exception {
    String symbol = id("EXP");
    String quoteId = id("q");
    long expiresAt = System.currentTimeMillis() + 300;
    submit(quote(quoteId, symbol, "99", "101").put("expiresAt", expiresAt));
    assertEquals(1, active(symbol).size());
    while (System.currentTimeMillis() <= expiresAt + 5) {
      Thread.sleep(20);
    }
    assertEquals(0, active(symbol).size());
    assertEquals("EXPIRED", bus.ok("trading.quotes.get", new JsonObject().put("quoteId", quoteId)).getString("status"));
    // the expiry timer writes the quote.expired event within milliseconds of expiresAt; a loaded machine may be later
    long deadline = System.currentTimeMillis() + 5_000;
    while (db.count("outbox WHERE aggregate_id = ? AND event_type = 'quote.expired'", quoteId) == 0
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    Map<String, Long> before = db.counts();
    JsonObject refused = bus.refused("trading.orders.place",
        limit(id("o"), "acct-q", symbol, "BUY", "1", "101").put("quoteId", quoteId), 409);
    assertTrue(refused.getString("message").contains("EXPIRED"), refused.encode());
    bus.refused("trading.quotes.cancel", new JsonObject().put("quoteId", quoteId), 409);
    assertEquals(before, db.counts());
  }

  @Test
  void activeListsOnlyActiveUnexpiredQuotesNewestFirstFilteredBySymbol() throws Exception {
    String symbol = id("ACT");
    String other = id("ACT");
    String used = id("q");
    String cancelled = id("q");
    submit(quote(used, symbol, "1", "2"));
    submit(quote(cancelled, symbol, "1", "2"));
    bus.ok("trading.orders.place", limit(id("o"), "acct-q", symbol, "BUY", "1", "2").put("quoteId", used));
    bus.ok("trading.quotes.cancel", new JsonObject().put("quoteId", cancelled));
    String expiring = id("q");
    submit(quote(expiring, symbol, "1", "2").put("expiresAt", System.currentTimeMillis() + 150));
    // three quotes sent together (same millisecond, same commit): newest means last received, whatever the ids
    List<String> ids = List.of("z-" + id("q"), "m-" + id("q"), "a-" + id("q"));
    List<Future<?>> sent = new ArrayList<>();
    for (String quoteId : ids) {
      sent.add(running.engine.vertx().eventBus().request("trading.quotes.submit", quote(quoteId, symbol, "1", "2")));
    }
    Future.all(sent).await(10, TimeUnit.SECONDS);
    submit(quote(id("q"), other, "1", "2"));
    Thread.sleep(200);

    List<String> listed = active(symbol).stream().map(q -> ((JsonObject) q).getString("quoteId")).toList();
    assertEquals(List.of(ids.get(2), ids.get(1), ids.get(0)), listed);
    JsonArray all = bus.ok("trading.quotes.active", new JsonObject()).getJsonArray("quotes");
    List<String> allIds = all.stream().map(q -> ((JsonObject) q).getString("quoteId")).toList();
    assertTrue(allIds.containsAll(ids));
    assertFalse(allIds.contains(used) || allIds.contains(cancelled) || allIds.contains(expiring));
    all.forEach(q -> assertEquals("ACTIVE", ((JsonObject) q).getString("status")));
    assertEquals(1, active(other).size());
    assertEquals("limit", bus.refused("trading.quotes.active", new JsonObject().put("limit", 0), 400).getString("field"));
    assertEquals(2, bus.ok("trading.quotes.active", new JsonObject().put("symbol", symbol).put("limit", 2)).getJsonArray("quotes").size());
  }

  @Test
  void activeQuotesArePagedNewestFirstWithACursorThatIsNullOnTheLastPage() {
    String symbol = id("PAGE");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String quoteId = id("q");
      submit(quote(quoteId, symbol, "1", "2"));
      ids.add(0, quoteId);
    }
    List<String> seen = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    JsonObject request = new JsonObject().put("symbol", symbol).put("limit", 2);
    while (true) {
      JsonObject page = bus.ok("trading.quotes.active", request);
      page.getJsonArray("quotes").forEach(q -> seen.add(((JsonObject) q).getString("quoteId")));
      pageSizes.add(page.getJsonArray("quotes").size());
      if (page.getValue("nextCursor") == null) {
        break;
      }
      request = request.copy().put("cursor", page.getString("nextCursor"));
    }
    assertEquals(ids, seen);
    assertEquals(List.of(2, 2, 1), pageSizes, "no cursor is handed out to an empty page");
    assertEquals("cursor", bus.refused("trading.quotes.active", new JsonObject().put("cursor", "17"), 400).getString("field"));
  }

  private static JsonArray active(String symbol) {
    return bus.ok("trading.quotes.active", new JsonObject().put("symbol", symbol)).getJsonArray("quotes");
  }
}
