package io.tradestore.balance;

import io.tradestore.support.EngineFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tradestore.support.Trading.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** trading.balances.* through the event bus: the latest venue snapshot per account and asset, each one an event. */
class BalanceBusTest extends EngineFixture {
  private static JsonObject snapshot(String account, String asset, Object available, Object locked, Object asOf) {
    return new JsonObject().put("account", account).put("asset", asset).put("available", available).put("locked", locked)
        .put("asOf", asOf);
  }

  @Test
  void anUpdateStoresTheSnapshotWithItsTotalAndWritesOneEvent() {
    String account = id("acct");
    long asOf = 1_790_000_000_000L;
    JsonObject reply = bus.ok("trading.balances.update", snapshot(account, "USDT", "1000.50", 0.25, asOf));
    assertEquals("1000.5", reply.getString("available"));
    assertEquals("0.25", reply.getString("locked"));
    assertEquals("1000.75", reply.getString("total"));
    assertEquals(Instant.ofEpochMilli(asOf).toString(), reply.getString("asOf"));
    assertFalse(reply.getBoolean("duplicate"));

    JsonObject payload = db.onlyPendingEvent(account + "/USDT", "balance", "balance.updated");
    assertEquals("1000.75", payload.getString("total"));
    assertEquals("0.25", payload.getString("locked"));
    assertEquals("1000.75", db.rows("SELECT total FROM balances WHERE account = ? AND asset = 'USDT'", account).get(0).get("total"));
  }

  @Test
  void aNewerSnapshotReplacesTheStoredOneAndEachEmitsAnEvent() {
    String account = id("acct");
    bus.ok("trading.balances.update", snapshot(account, "BTC", "1", "0", "2026-11-23T10:00:00Z"));
    JsonObject newer = bus.ok("trading.balances.update", snapshot(account, "BTC", "0.5", "0.5", "2026-11-23T10:00:01Z"));
    assertEquals("1", newer.getString("total"));
    JsonArray listed = bus.ok("trading.balances.list", new JsonObject().put("account", account)).getJsonArray("balances");
    assertEquals(1, listed.size());
    assertEquals("0.5", listed.getJsonObject(0).getString("locked"));
    assertEquals("2026-11-23T10:00:01Z", listed.getJsonObject(0).getString("asOf"));
    assertEquals(2, db.outboxOf(account + "/BTC").size());
    assertEquals(2, db.count("balance_updates WHERE account = ? AND asset = 'BTC'", account),
        "every stored snapshot stays in the history");
  }

  @Test
  void aResendIsADuplicateAndAnOlderOrConflictingSnapshotIs409WithNothingWritten() {
    String account = id("acct");
    JsonObject body = snapshot(account, "ETH", "2", "1", 1_790_000_000_000L);
    bus.ok("trading.balances.update", body);
    Map<String, Long> before = db.counts();
    assertTrue(bus.ok("trading.balances.update", body.copy().put("available", 2.0).put("asOf", "2026-09-21T14:13:20Z"))
        .getBoolean("duplicate"));
    assertEquals(before, db.counts());
    JsonObject sameTimeDifferent = bus.refused("trading.balances.update", body.copy().put("available", "3"), 409);
    assertEquals("asOf", sameTimeDifferent.getString("field"));
    JsonObject older = bus.refused("trading.balances.update", body.copy().put("asOf", 1_789_999_999_999L), 409);
    assertEquals("CONFLICT", older.getString("error"));
    assertEquals(before, db.counts());
    assertEquals("2", bus.ok("trading.balances.list", new JsonObject().put("account", account))
        .getJsonArray("balances").getJsonObject(0).getString("available"));
  }

  @Test
  void aMarginAccountMayReportANegativeAvailableAndItsTotalIsStoredNegative() {
    String account = id("acct");
    JsonObject reply = bus.ok("trading.balances.update", snapshot(account, "USDT", "-1", "0.25", null));
    assertEquals("-1", reply.getString("available"));
    assertEquals("-0.75", reply.getString("total"));
    assertEquals("-0.75", db.rows("SELECT total FROM balances WHERE account = ? AND asset = 'USDT'", account).get(0).get("total"));
  }

  @Test
  void badSnapshotsAreRefusedWith400NamingTheField() {
    Map<String, Long> before = db.counts();
    String account = id("acct");
    assertField(snapshot(account, null, "1", "0", null), "asset");
    assertField(snapshot(account, "USDT", null, "0", null), "available");
    assertField(snapshot(account, "USDT", "lots", "0", null), "available");
    assertField(snapshot(account, "USDT", "1", null, null), "locked");
    assertField(snapshot(account, "USDT", "1", "-0.1", null), "locked");
    assertField(snapshot(account, "USDT", "1", "0", "noon"), "asOf");
    assertField(snapshot(account, "USDT", "1", "0", null).put("account", List.of()), "account");
    assertEquals(before, db.counts());
  }

  private static void assertField(JsonObject body, String field) {
    JsonObject refused = bus.refused("trading.balances.update", body, 400);
    assertEquals("INVALID_REQUEST", refused.getString("error"));
    assertEquals(field, refused.getString("field"), refused.encode());
  }

  @Test
  void listShowsEveryAssetOfTheAccountByAssetAndDefaultsTheAccount() {
    String account = id("acct");
    for (String asset : List.of("USDT", "BTC", "ETH")) {
      bus.ok("trading.balances.update", snapshot(account, asset, "1", "0", null));
    }
    bus.ok("trading.balances.update", snapshot(id("acct"), "AAA", "1", "0", null));
    JsonObject listed = bus.ok("trading.balances.list", new JsonObject().put("account", account));
    assertEquals(account, listed.getString("account"));
    assertEquals(List.of("BTC", "ETH", "USDT"),
        listed.getJsonArray("balances").stream().map(b -> ((JsonObject) b).getString("asset")).toList());
    assertEquals(0, bus.ok("trading.balances.list", new JsonObject().put("account", id("none"))).getJsonArray("balances").size());

    bus.ok("trading.balances.update", new JsonObject().put("asset", "USDC").put("available", "5").put("locked", "0"));
    JsonObject defaults = bus.ok("trading.balances.list", new JsonObject());
    assertEquals("default", defaults.getString("account"));
    assertEquals("5", defaults.getJsonArray("balances").getJsonObject(0).getString("total"));
  }

  @Test
  void theHistoryListsEverySnapshotOfAnAssetOldestFirstWithinTheRangeAndPages() {
    String account = id("acct");
    String[] times = {"2026-11-23T10:00:00Z", "2026-11-23T11:00:00Z", "2026-11-23T12:00:00Z", "2026-11-23T13:00:00Z"};
    for (int i = 0; i < times.length; i++) {
      bus.ok("trading.balances.update", snapshot(account, "USDT", String.valueOf(100 + i), "0.5", times[i]));
    }
    bus.ok("trading.balances.update", snapshot(account, "BTC", "1", "0", times[0]));

    JsonObject all = bus.ok("trading.balances.history", new JsonObject().put("account", account).put("asset", "USDT"));
    assertEquals(List.of("100.5", "101.5", "102.5", "103.5"), totals(all));
    assertEquals(times[0], all.getJsonArray("updates").getJsonObject(0).getString("asOf"));
    assertNull(all.getValue("nextCursor"));

    JsonObject range = bus.ok("trading.balances.history", new JsonObject().put("account", account).put("asset", "USDT")
        .put("from", times[1]).put("to", times[3]));
    assertEquals(List.of("101.5", "102.5"), totals(range), "[from, to)");

    List<String> paged = new ArrayList<>();
    JsonObject request = new JsonObject().put("account", account).put("asset", "USDT").put("limit", 3);
    JsonObject page = bus.ok("trading.balances.history", request);
    paged.addAll(totals(page));
    page = bus.ok("trading.balances.history", request.copy().put("cursor", page.getString("nextCursor")));
    paged.addAll(totals(page));
    assertNull(page.getValue("nextCursor"));
    assertEquals(totals(all), paged);

    assertEquals("asset", bus.refused("trading.balances.history", new JsonObject().put("account", account), 400)
        .getString("field"));
    assertEquals("to", bus.refused("trading.balances.history", new JsonObject().put("asset", "USDT")
        .put("from", times[1]).put("to", times[1]), 400).getString("field"));
    assertEquals("cursor", bus.refused("trading.balances.history", new JsonObject().put("asset", "USDT")
        .put("cursor", "x"), 400).getString("field"));
  }

  private static List<String> totals(JsonObject page) {
    return page.getJsonArray("updates").stream().map(u -> ((JsonObject) u).getString("total")).toList();
  }
}
