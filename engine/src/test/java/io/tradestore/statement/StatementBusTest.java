package io.tradestore.statement;

import io.tradestore.Addresses;
import io.tradestore.support.EngineFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.tradestore.support.Trading.fill;
import static io.tradestore.support.Trading.id;
import static io.tradestore.support.Trading.market;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class StatementBusTest extends EngineFixture {
  private static final long T0 = 1_790_000_000_000L;

  @Test
  void aPeriodsStatementOpensAndClosesWithTheFillsExecutedBeforeItsEnds() {
    String account = id("acct");
    String buy = id("o");
    String sell = id("o");
    bus.ok(Addresses.ORDERS_PLACE, market(buy, account, "BTCUSDT", "BUY", "3"));
    bus.ok(Addresses.ORDERS_PLACE, market(sell, account, "BTCUSDT", "SELL", "1"));
    bus.ok(Addresses.FILLS_RECORD, fill(id("f"), buy, "2", "100").put("executedAt", T0));
    bus.ok(Addresses.FILLS_RECORD, fill(id("f"), sell, "1", "110").put("executedAt", T0 + 1_000)
        .put("fee", "0.11").put("feeAsset", "USDT"));
    bus.ok(Addresses.FILLS_RECORD, fill(id("f"), buy, "1", "90").put("executedAt", T0 + 2_000));

    JsonObject statement = bus.ok(Addresses.STATEMENTS_GET, new JsonObject().put("account", account)
        .put("from", T0 + 1_000).put("to", T0 + 2_000));
    assertEquals(account, statement.getString("account"));
    assertEquals(Instant.ofEpochMilli(T0 + 1_000).toString(), statement.getString("from"));
    JsonObject btc = statement.getJsonArray("symbols").getJsonObject(0);
    assertEquals("BTCUSDT", btc.getString("symbol"));
    assertEquals("2", btc.getJsonObject("opening").getString("quantity"));
    assertEquals("1", btc.getJsonObject("closing").getString("quantity"));
    assertEquals("10", btc.getString("realizedPnl"));
    assertEquals(new JsonObject().put("USDT", "0.11"), btc.getJsonObject("fees"));
    assertEquals(1, btc.getLong("fillCount"));

    assertEquals("to", bus.refused(Addresses.STATEMENTS_GET, new JsonObject().put("account", account)
        .put("from", T0).put("to", T0), 400).getString("field"));
    JsonObject none = bus.ok(Addresses.STATEMENTS_GET, new JsonObject().put("account", id("nobody")));
    assertEquals(0, none.getJsonArray("symbols").size());
    assertNull(none.getValue("from"));
  }

  /** Random orders and fills, executed out of order: the statement of all time is what the positions show. */
  @Test
  void theStatementOfAllTimeEqualsThePositions() {
    Random random = new Random(7);
    String account = id("acct");
    List<String> symbols = List.of("BTCUSDT", "ETHUSDT", "SOLUSDT");
    List<String[]> orders = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String orderId = id("o");
      String symbol = symbols.get(random.nextInt(symbols.size()));
      bus.ok(Addresses.ORDERS_PLACE, market(orderId, account, symbol, random.nextBoolean() ? "BUY" : "SELL", "1000"));
      orders.add(new String[] {orderId, symbol});
    }
    for (int i = 0; i < 60; i++) {
      String[] order = orders.get(random.nextInt(orders.size()));
      JsonObject body = fill(id("f"), order[0], (1 + random.nextInt(9)) + "." + random.nextInt(10),
          (50 + random.nextInt(100)) + "." + random.nextInt(1000)).put("executedAt", T0 + random.nextInt(100_000));
      if (random.nextBoolean()) {
        body.put("fee", "0.0" + (1 + random.nextInt(9))).put("feeAsset", random.nextBoolean() ? "USDT" : "BNB");
      }
      bus.ok(Addresses.FILLS_RECORD, body);
    }

    JsonObject statement = bus.ok(Addresses.STATEMENTS_GET, new JsonObject().put("account", account));
    for (Object o : statement.getJsonArray("symbols")) {
      JsonObject s = (JsonObject) o;
      JsonObject position = bus.ok(Addresses.POSITIONS_GET, new JsonObject().put("account", account)
          .put("symbol", s.getString("symbol")));
      JsonObject closing = s.getJsonObject("closing");
      assertEquals(position.getString("quantity"), closing.getString("quantity"), s.encode());
      assertEquals(position.getString("averagePrice"), closing.getString("averagePrice"));
      assertEquals(position.getString("realizedPnl"), s.getString("realizedPnl"));
      assertEquals(position.getJsonObject("fees"), s.getJsonObject("fees"));
      assertEquals(position.getLong("fillCount"), s.getLong("fillCount"));
    }
    assertEquals(symbols.stream().filter(sym -> orders.stream().anyMatch(o -> o[1].equals(sym))).count(),
        statement.getJsonArray("symbols").size());
  }
}
