package io.tradestore.position;

import io.tradestore.support.EngineFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tradestore.support.Trading.fill;
import static io.tradestore.support.Trading.id;
import static io.tradestore.support.Trading.limit;
import static io.tradestore.support.Trading.quote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every position accounting rule of the issue, exactly, through orders and fills on the event bus. */
class PositionBusTest extends EngineFixture {
  /** Places an order of exactly this quantity and fills it; returns the position from the fill's reply. */
  private static JsonObject trade(String account, String symbol, String side, Object quantity, Object price, JsonObject extra) {
    String orderId = id("o");
    bus.ok("trading.orders.place", limit(orderId, account, symbol, side, quantity, price));
    JsonObject body = fill(id("f"), orderId, quantity, price);
    extra.forEach(e -> body.put(e.getKey(), e.getValue()));
    JsonObject reply = bus.ok("trading.fills.record", body);
    JsonObject stored = get(account, symbol);
    assertEquals(reply.getJsonObject("position"), stored, "the fill's reply shows the stored position");
    return stored;
  }

  private static JsonObject trade(String account, String symbol, String side, Object quantity, Object price) {
    return trade(account, symbol, side, quantity, price, new JsonObject());
  }

  private static JsonObject get(String account, String symbol) {
    return bus.ok("trading.positions.get", new JsonObject().put("account", account).put("symbol", symbol));
  }

  private static void assertPosition(JsonObject p, String quantity, String average, String realized) {
    assertEquals(quantity, p.getString("quantity"), p.encode());
    assertEquals(average, p.getString("averagePrice"), p.encode());
    assertEquals(realized, p.getString("realizedPnl"), p.encode());
  }

  @Test
  void increaseReduceFlipAndCloseFollowTheRulesExactly() {
    String account = id("acct");
    String symbol = id("SYM");
    trade(account, symbol, "BUY", "1", "100");
    assertPosition(trade(account, symbol, "BUY", "3", "200"), "4", "175", "0");
    assertPosition(trade(account, symbol, "SELL", "1", "195"), "3", "175", "20");
    assertPosition(trade(account, symbol, "SELL", "5", "180"), "-2", "180", "35");
    JsonObject closed = trade(account, symbol, "BUY", "2", "170");
    assertPosition(closed, "0", null, "55");
    assertTrue(closed.containsKey("averagePrice") && closed.getValue("averagePrice") == null, "average cleared");
    assertEquals(5, closed.getLong("fillCount"));
    var row = db.rows("SELECT quantity, average_price, cost_basis, realized_pnl FROM positions WHERE account = ? AND symbol = ?",
        account, symbol).get(0);
    assertEquals("0", row.get("quantity"));
    assertNull(row.get("average_price"));
    assertEquals("0", row.get("cost_basis"));
    assertEquals("55", row.get("realized_pnl"));
    // reopening after flat starts a fresh average at the fill price
    assertPosition(trade(account, symbol, "SELL", "1", "160"), "-1", "160", "55");
  }

  @Test
  void theShortSideRealizesWhenBoughtBack() {
    String account = id("acct");
    String symbol = id("SYM");
    assertPosition(trade(account, symbol, "SELL", "2", "50"), "-2", "50", "0");
    assertPosition(trade(account, symbol, "BUY", "1", "40"), "-1", "50", "10");
    assertPosition(trade(account, symbol, "BUY", "3", "45"), "2", "45", "15");
  }

  @Test
  void feesAreSummedPerFeeAssetAndNeverFoldedIntoRealizedPnl() {
    String account = id("acct");
    String symbol = id("SYM");
    trade(account, symbol, "BUY", "1", "100", new JsonObject().put("fee", "1").put("feeAsset", "USDT"));
    trade(account, symbol, "SELL", "1", "100", new JsonObject().put("fee", 0.5).put("feeAsset", "USDT"));
    JsonObject p = trade(account, symbol, "BUY", "1", "100", new JsonObject().put("fee", "0.0001").put("feeAsset", "BNB"));
    assertEquals(new JsonObject().put("BNB", "0.0001").put("USDT", "1.5"), p.getJsonObject("fees"));
    assertEquals("0", p.getString("realizedPnl"));
    JsonObject rebate = trade(account, symbol, "SELL", "1", "100", new JsonObject().put("fee", "-0.25").put("feeAsset", "USDT"));
    assertEquals("1.25", rebate.getJsonObject("fees").getString("USDT"), "a maker rebate is a negative fee");
  }

  @Test
  void unrealizedPnlUsesTheMidOfTheLatestFreshQuoteAndIsAbsentWithoutOne() throws Exception {
    String account = id("acct");
    String symbol = id("SYM");
    trade(account, symbol, "SELL", "2", "50");
    JsonObject p = trade(account, symbol, "BUY", "1", "40");
    assertNull(p.getValue("markPrice"));
    assertNull(p.getValue("unrealizedPnl"), "no quote, no unrealized PnL");

    bus.ok("trading.quotes.submit", quote(id("q"), symbol, "44", "46"));
    p = get(account, symbol);
    assertEquals("45", p.getString("markPrice"));
    assertEquals("5", p.getString("unrealizedPnl"), "-1 x (45 - 50)");

    bus.ok("trading.quotes.submit", quote(id("q"), symbol, "40.5", "41.5"));
    assertEquals("9", get(account, symbol).getString("unrealizedPnl"), "the latest quote marks");
    JsonObject listed = bus.ok("trading.positions.list", new JsonObject().put("account", account)).getJsonArray("positions").getJsonObject(0);
    assertEquals("9", listed.getString("unrealizedPnl"));

    String expiring = id("q");
    long expiresAt = System.currentTimeMillis() + 200;
    bus.ok("trading.quotes.submit", quote(expiring, symbol, "59", "61").put("expiresAt", expiresAt));
    assertEquals("-10", get(account, symbol).getString("unrealizedPnl"));
    while (System.currentTimeMillis() <= expiresAt + 5) {
      Thread.sleep(20);
    }
    assertNull(get(account, symbol).getValue("unrealizedPnl"), "the latest quote expired: no fresh mark");

    String cancelled = id("q");
    bus.ok("trading.quotes.submit", quote(cancelled, symbol, "49", "51"));
    assertEquals("0", get(account, symbol).getString("unrealizedPnl"));
    bus.ok("trading.quotes.cancel", new JsonObject().put("quoteId", cancelled));
    assertNull(get(account, symbol).getValue("markPrice"), "a cancelled quote no longer marks");
  }

  @Test
  void threeBuysOfOneTenthGiveExactlyThreeTenthsAndAveragesKeepEighteenDigits() {
    String account = id("acct");
    String symbol = id("SYM");
    trade(account, symbol, "BUY", 0.1, 0.1);
    trade(account, symbol, "BUY", "0.1", 0.2);
    JsonObject p = trade(account, symbol, "BUY", 0.1, "0.3");
    assertEquals("0.3", p.getString("quantity"));
    assertEquals("0.2", p.getString("averagePrice"));

    String other = id("SYM");
    trade(account, other, "BUY", "1", "100");
    JsonObject thirds = trade(account, other, "BUY", "2", "101");
    assertEquals("100.666666666666666667", thirds.getString("averagePrice"), "non-terminating: 18 digits, half-even");
    // many small reductions never drift the average
    for (int i = 0; i < 30; i++) {
      thirds = trade(account, other, "SELL", "0.01", "102");
    }
    assertEquals("100.666666666666666667", thirds.getString("averagePrice"));
    assertEquals("2.7", thirds.getString("quantity"));
  }

  @Test
  void aSymbolNeverTradedIsFlatAndListingShowsAnAccountsPositionsBySymbol() {
    String account = id("acct");
    JsonObject flat = get(account, "NEVER");
    assertEquals("0", flat.getString("quantity"));
    assertEquals("0", flat.getString("realizedPnl"));
    assertNull(flat.getValue("averagePrice"));
    assertEquals(0, flat.getLong("fillCount"));
    assertEquals(new JsonObject(), flat.getJsonObject("fees"));
    assertEquals(0, db.count("positions WHERE account = ?", account), "reading does not write");

    trade(account, "ZZZ", "BUY", "1", "10");
    trade(account, "AAA", "SELL", "2", "10");
    trade(account, "MMM", "BUY", "1", "10");
    trade(account, "MMM", "SELL", "1", "12");
    trade(id("acct"), "AAA", "BUY", "1", "10");
    JsonArray all = bus.ok("trading.positions.list", new JsonObject().put("account", account)).getJsonArray("positions");
    assertEquals(List.of("AAA", "MMM", "ZZZ"), all.stream().map(p -> ((JsonObject) p).getString("symbol")).toList());
    assertEquals("-2", all.getJsonObject(0).getString("quantity"));
    JsonArray open = bus.ok("trading.positions.list", new JsonObject().put("account", account).put("openOnly", true)).getJsonArray("positions");
    assertEquals(List.of("AAA", "ZZZ"), open.stream().map(p -> ((JsonObject) p).getString("symbol")).toList());
    assertEquals(0, bus.ok("trading.positions.list", new JsonObject().put("account", id("none"))).getJsonArray("positions").size());

    assertEquals("symbol", bus.refused("trading.positions.get", new JsonObject().put("account", account), 400).getString("field"));
    assertEquals("account", bus.refused("trading.positions.get", new JsonObject().put("account", 1).put("symbol", "A"), 400).getString("field"));
    assertEquals("openOnly", bus.refused("trading.positions.list", new JsonObject().put("openOnly", "yes"), 400).getString("field"));
  }

  @Test
  void theDefaultAccountIsUsedWhenNoneIsGiven() {
    String symbol = id("SYM");
    String orderId = id("o");
    bus.ok("trading.orders.place", new JsonObject().put("orderId", orderId).put("symbol", symbol).put("side", "BUY")
        .put("type", "MARKET").put("quantity", "2"));
    bus.ok("trading.fills.record", fill(id("f"), orderId, "2", "10"));
    JsonObject p = bus.ok("trading.positions.get", new JsonObject().put("symbol", symbol));
    assertEquals("default", p.getString("account"));
    assertEquals("2", p.getString("quantity"));
    assertFalse(bus.ok("trading.positions.list", new JsonObject()).getJsonArray("positions").isEmpty());
  }
}
