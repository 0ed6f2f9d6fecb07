package io.tradestore.alert;

import io.tradestore.Addresses;
import io.tradestore.support.EngineFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.tradestore.support.Trading.fill;
import static io.tradestore.support.Trading.id;
import static io.tradestore.support.Trading.limit;
import static io.tradestore.support.Trading.quote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** trading.alerts.* through the event bus, with what each request and each firing leaves in the database file. */
class AlertBusTest extends EngineFixture {
  private static JsonObject priceAlert(String alertId, String symbol, String kind, String condition, String threshold) {
    return new JsonObject().put("alertId", alertId).put("symbol", symbol).put("kind", kind)
        .put("condition", condition).put("threshold", threshold);
  }

  /** The payload of the alert's one outbox event of this type. */
  private static JsonObject event(String alertId, String type) {
    List<JsonObject> payloads = db.outboxOf(alertId).stream().filter(e -> type.equals(e.get("event_type")))
        .map(e -> new JsonObject((String) e.get("payload"))).toList();
    assertEquals(1, payloads.size(), () -> type + " events of " + alertId + ": " + payloads);
    return payloads.get(0);
  }

  private static String symbol() {
    return id("SYM").toUpperCase();
  }

  @Test
  void anAlertIsCreatedActiveAndArmedAndReadBackAsCreated() {
    String alertId = id("a");
    String symbol = symbol();
    JsonObject reply = bus.ok(Addresses.ALERTS_CREATE, priceAlert(alertId, symbol, "mid", "crossesAbove", "100.50")
        .put("note", "breakout"));
    assertEquals("ACTIVE", reply.getString("status"));
    assertEquals("mid", reply.getString("kind"));
    assertEquals("crossesAbove", reply.getString("condition"));
    assertEquals("100.5", reply.getString("threshold"), "canonical decimal text");
    assertEquals("once", reply.getString("repeat"));
    assertEquals("default", reply.getString("account"));
    assertTrue(reply.getBoolean("armed"));
    assertEquals(0L, reply.getLong("firings"));
    assertFalse(reply.getBoolean("duplicate"));
    JsonObject got = bus.ok(Addresses.ALERTS_GET, new JsonObject().put("alertId", alertId));
    reply.remove("duplicate");
    assertEquals(reply, got);
    assertEquals("100.5", db.onlyPendingEvent(alertId, "alert", "alert.created").getString("threshold"));
  }

  @Test
  void aResentCreateIsADuplicateAndOtherContentUnderItsIdAConflict() {
    String alertId = id("a");
    String symbol = symbol();
    bus.ok(Addresses.ALERTS_CREATE, priceAlert(alertId, symbol, "bid", "above", "10"));
    assertTrue(bus.ok(Addresses.ALERTS_CREATE, priceAlert(alertId, symbol, "bid", "above", "10.0"))
        .getBoolean("duplicate"));
    JsonObject conflict = bus.refused(Addresses.ALERTS_CREATE, priceAlert(alertId, symbol, "bid", "above", "11"), 409);
    assertEquals("alertId", conflict.getString("field"));
    assertEquals(1, db.count("alerts WHERE alert_id = ?", alertId));
  }

  @Test
  void badCreatesAreAnsweredWithTheFieldAndWriteNothing() {
    String symbol = symbol();
    long before = db.count("alerts");
    Map<String, JsonObject> bad = Map.of(
        "kind", priceAlert(id("a"), symbol, "last", "above", "1"),
        "condition", priceAlert(id("a"), symbol, "realizedPnl", "crossesBelow", "1"),
        "threshold", priceAlert(id("a"), symbol, "mid", "above", "one"),
        "rearmBy", priceAlert(id("a"), symbol, "mid", "above", "1").put("repeat", "rearm"),
        "expiresAt", priceAlert(id("a"), symbol, "mid", "above", "1").put("expiresAt", "2001-01-01T00:00:00Z"));
    bad.forEach((field, body) -> assertEquals(field, bus.refused(Addresses.ALERTS_CREATE, body, 400).getString("field"),
        body.encode()));
    assertEquals(before, db.count("alerts"));
  }

  @Test
  void aQuoteThatCrossesFiresTheAlertOnceInItsOwnTransaction() {
    String alertId = id("a");
    String symbol = symbol();
    bus.ok(Addresses.QUOTES_SUBMIT, quote(id("q"), symbol, "99", "99.5"));
    bus.ok(Addresses.ALERTS_CREATE, priceAlert(alertId, symbol, "mid", "crossesAbove", "100"));
    bus.ok(Addresses.QUOTES_SUBMIT, quote(id("q"), symbol, "99.5", "100"));
    String crossing = id("q");
    JsonObject q = quote(crossing, symbol, "100", "100.5");
    bus.ok(Addresses.QUOTES_SUBMIT, q);
    assertTrue(bus.ok(Addresses.QUOTES_SUBMIT, q).getBoolean("duplicate"));
    bus.ok(Addresses.QUOTES_SUBMIT, quote(id("q"), symbol, "99", "99.5"));
    bus.ok(Addresses.QUOTES_SUBMIT, quote(id("q"), symbol, "101", "101.5"));

    JsonObject alert = bus.ok(Addresses.ALERTS_GET, new JsonObject().put("alertId", alertId));
    assertEquals("TRIGGERED", alert.getString("status"));
    assertEquals(1L, alert.getLong("firings"));
    JsonObject triggered = event(alertId, "alert.triggered");
    assertEquals("100.25", triggered.getString("value"));
    assertEquals("99.75", triggered.getString("previous"));
    assertEquals("quote", triggered.getString("cause"));
    assertEquals(crossing, triggered.getString("causeId"));
    assertEquals("TRIGGERED", triggered.getJsonObject("alert").getString("status"));

    JsonObject firings = bus.ok(Addresses.ALERTS_FIRINGS, new JsonObject().put("alertId", alertId));
    JsonArray list = firings.getJsonArray("firings");
    assertEquals(1, list.size());
    assertEquals(crossing, list.getJsonObject(0).getString("causeId"));
    assertNull(firings.getValue("nextCursor"));
  }

  @Test
  void aFillThatGrowsThePositionPastItsLimitFiresTheAccountsSizeAlert() {
    String account = id("desk");
    String symbol = symbol();
    String alertId = id("a");
    bus.ok(Addresses.ALERTS_CREATE, new JsonObject().put("alertId", alertId).put("account", account)
        .put("symbol", symbol).put("kind", "absQuantity").put("condition", "above").put("threshold", "1.5"));
    String orderId = id("o");
    bus.ok(Addresses.ORDERS_PLACE, limit(orderId, account, symbol, "SELL", "3", "10"));
    bus.ok(Addresses.FILLS_RECORD, fill(id("f"), orderId, "1", "10"));
    assertEquals("ACTIVE", bus.ok(Addresses.ALERTS_GET, new JsonObject().put("alertId", alertId)).getString("status"));
    String second = id("f");
    bus.ok(Addresses.FILLS_RECORD, fill(second, orderId, "0.5", "10"));
    JsonObject triggered = event(alertId, "alert.triggered");
    assertEquals("1.5", triggered.getString("value"), "|-1.5| reaches 1.5");
    assertEquals("fill", triggered.getString("cause"));
    assertEquals(second, triggered.getString("causeId"));
  }

  @Test
  void aQuoteThatMarksThePositionPastItsLossFiresTheUnrealizedPnlAlertWithThePositionsPnl() {
    String account = id("desk");
    String symbol = symbol();
    String orderId = id("o");
    bus.ok(Addresses.ORDERS_PLACE, limit(orderId, account, symbol, "BUY", "2", "100"));
    bus.ok(Addresses.FILLS_RECORD, fill(id("f"), orderId, "2", "100"));
    String alertId = id("a");
    bus.ok(Addresses.ALERTS_CREATE, new JsonObject().put("alertId", alertId).put("account", account)
        .put("symbol", symbol).put("kind", "unrealizedPnl").put("condition", "below").put("threshold", "-10"));
    bus.ok(Addresses.QUOTES_SUBMIT, quote(id("q"), symbol, "95.75", "96.25"));
    assertEquals("ACTIVE", bus.ok(Addresses.ALERTS_GET, new JsonObject().put("alertId", alertId)).getString("status"),
        "2 × (96 − 100) = −8 is not yet −10");
    String marking = id("q");
    bus.ok(Addresses.QUOTES_SUBMIT, quote(marking, symbol, "94.25", "94.75"));
    JsonObject triggered = event(alertId, "alert.triggered");
    assertEquals("-11", triggered.getString("value"), "2 × (94.5 − 100)");
    assertEquals("quote", triggered.getString("cause"));
    assertEquals(marking, triggered.getString("causeId"));
    assertEquals("TRIGGERED", bus.ok(Addresses.ALERTS_GET, new JsonObject().put("alertId", alertId))
        .getString("status"));
  }

  @Test
  void aCancelledAlertFiresNothingAndACancelAfterItFiredIsAConflict() {
    String symbol = symbol();
    String cancelled = id("a");
    String fired = id("a");
    bus.ok(Addresses.ALERTS_CREATE, priceAlert(cancelled, symbol, "ask", "below", "50"));
    bus.ok(Addresses.ALERTS_CREATE, priceAlert(fired, symbol, "bid", "below", "50"));
    assertEquals("CANCELLED", bus.ok(Addresses.ALERTS_CANCEL, new JsonObject().put("alertId", cancelled))
        .getString("status"));
    assertTrue(bus.ok(Addresses.ALERTS_CANCEL, new JsonObject().put("alertId", cancelled)).getBoolean("duplicate"));
    bus.ok(Addresses.QUOTES_SUBMIT, quote(id("q"), symbol, "40", "45"));
    assertEquals(0, db.count("alert_firings WHERE alert_id = ?", cancelled));
    assertEquals(1, db.count("alert_firings WHERE alert_id = ?", fired));
    assertEquals("alertId", bus.refused(Addresses.ALERTS_CANCEL, new JsonObject().put("alertId", fired), 409)
        .getString("field"));
    assertEquals("alertId", bus.refused(Addresses.ALERTS_CANCEL, new JsonObject().put("alertId", id("none")), 404)
        .getString("field"));
  }

  @Test
  void listsFilterBySymbolAccountAndStatusNewestFirstAlongNextCursor() {
    String symbol = symbol();
    List<String> ids = List.of(id("a"), id("a"), id("a"));
    ids.forEach(a -> bus.ok(Addresses.ALERTS_CREATE, priceAlert(a, symbol, "mid", "above", "1000")));
    bus.ok(Addresses.ALERTS_CANCEL, new JsonObject().put("alertId", ids.get(0)));
    JsonObject first = bus.ok(Addresses.ALERTS_LIST, new JsonObject().put("symbol", symbol).put("limit", 1));
    assertEquals(ids.get(2), first.getJsonArray("alerts").getJsonObject(0).getString("alertId"));
    JsonObject second = bus.ok(Addresses.ALERTS_LIST, new JsonObject().put("symbol", symbol).put("limit", 5)
        .put("cursor", first.getString("nextCursor")));
    assertEquals(List.of(ids.get(1), ids.get(0)), second.getJsonArray("alerts").stream()
        .map(a -> ((JsonObject) a).getString("alertId")).toList());
    assertNull(second.getValue("nextCursor"));
    JsonObject active = bus.ok(Addresses.ALERTS_LIST, new JsonObject().put("symbol", symbol).put("status", "ACTIVE"));
    assertEquals(2, active.getJsonArray("alerts").size());
    assertEquals(0, bus.ok(Addresses.ALERTS_LIST, new JsonObject().put("account", id("nobody")))
        .getJsonArray("alerts").size());
  }

  @Test
  void aListByStatusGoesByWhatTheAlertsReadNowSoAnActiveOnePastItsExpiryIsListedExpired() {
    String symbol = symbol();
    String live = id("a");
    bus.ok(Addresses.ALERTS_CREATE, priceAlert(live, symbol, "mid", "above", "1000"));
    // as an alert whose expiry passed while its timer had not yet run: ACTIVE in the file, EXPIRED when read
    String lapsed = id("a");
    db.execute("INSERT INTO alerts (alert_id, account, symbol, kind, condition, threshold, repeat_mode, expires_at,"
        + " status, armed, firings, created_at, updated_at) VALUES ('" + lapsed + "', 'default', '" + symbol
        + "', 'MID', 'ABOVE', '1000', 'ONCE', 1, 'ACTIVE', 1, 0, 0, 0)");
    for (String status : List.of("ACTIVE", "EXPIRED")) {
      List<JsonObject> listed = bus.ok(Addresses.ALERTS_LIST, new JsonObject().put("symbol", symbol)
          .put("status", status)).getJsonArray("alerts").stream().map(a -> (JsonObject) a).toList();
      assertEquals(List.of(status.equals("ACTIVE") ? live : lapsed), listed.stream()
          .map(a -> a.getString("alertId")).toList(), status);
      assertEquals(status, listed.get(0).getString("status"), "listed under the status it reads");
    }
  }

  @Test
  void anAlertIsMarkedExpiredAtItsExpiryAndFiresNothingAfter() throws InterruptedException {
    String alertId = id("a");
    String symbol = symbol();
    bus.ok(Addresses.ALERTS_CREATE, priceAlert(alertId, symbol, "mid", "above", "1")
        .put("expiresAt", System.currentTimeMillis() + 300));
    long deadline = System.currentTimeMillis() + 10_000;
    while (db.count("alerts WHERE alert_id = ? AND status = 'EXPIRED'", alertId) == 0) {
      assertTrue(System.currentTimeMillis() < deadline, "not marked EXPIRED within 10 s");
      Thread.sleep(20);
    }
    assertEquals("EXPIRED", event(alertId, "alert.expired").getString("status"));
    bus.ok(Addresses.QUOTES_SUBMIT, quote(id("q"), symbol, "5", "6"));
    assertEquals(0, db.count("alert_firings WHERE alert_id = ?", alertId));
  }
}
