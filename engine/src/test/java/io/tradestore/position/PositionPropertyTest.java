package io.tradestore.position;

import io.tradestore.domain.Decimals;
import io.tradestore.domain.Side;
import io.tradestore.domain.position.Position;
import io.tradestore.domain.position.PositionLedger;
import io.tradestore.support.EngineFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.tradestore.support.Trading.fill;
import static io.tradestore.support.Trading.id;
import static io.tradestore.support.Trading.limit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * For random fill sequences, the stored position equals a recomputation from the stored fills, and every order's
 * filled quantity equals the sum of its fills: nothing is lost, doubled or reordered between fills and positions.
 */
class PositionPropertyTest extends EngineFixture {
  private record OpenOrder(String orderId, String account, String symbol, BigDecimal quantity, BigDecimal[] filled) { }

  @Test
  void forRandomFillSequencesTheStoredPositionEqualsTheRecomputationFromTheFills() {
    for (long seed : new long[] {1L, 42L, 20261123L}) {
      runSequence(seed);
    }
  }

  private static void runSequence(long seed) {
    Random random = new Random(seed);
    List<String> accounts = List.of(id("acct"), id("acct"));
    List<String> symbols = List.of(id("BTC"), id("ETH"));
    List<OpenOrder> orders = new ArrayList<>();
    for (String account : accounts) {
      for (String symbol : symbols) {
        for (int i = 0; i < 4; i++) {
          String orderId = id("o");
          String side = random.nextBoolean() ? "BUY" : "SELL";
          BigDecimal quantity = decimal(random, 1 + random.nextInt(500), 2); // 0.01 .. 5.00
          bus.ok("trading.orders.place", limit(orderId, account, symbol, side, Decimals.format(quantity), "100"));
          orders.add(new OpenOrder(orderId, account, symbol, quantity, new BigDecimal[] {BigDecimal.ZERO}));
        }
      }
    }
    long executedAt = 1_790_000_000_000L + seed;
    int recorded = 0;
    for (int n = 0; n < 60; n++) {
      OpenOrder order = orders.get(random.nextInt(orders.size()));
      BigDecimal remaining = order.quantity().subtract(order.filled()[0]);
      if (remaining.signum() == 0) {
        continue;
      }
      BigDecimal quantity = random.nextInt(4) == 0 ? remaining
          : remaining.multiply(decimal(random, 1 + random.nextInt(99), 2)).setScale(4, java.math.RoundingMode.DOWN);
      if (quantity.signum() == 0) {
        quantity = remaining;
      }
      BigDecimal price = decimal(random, 1 + random.nextInt(5_000_000), 4); // 0.0001 .. 500.0000
      JsonObject body = fill(id("f"), order.orderId(), random.nextBoolean() ? Decimals.format(quantity) : quantity.doubleValue(),
          Decimals.format(price)).put("executedAt", executedAt + n);
      if (random.nextInt(3) == 0) {
        body.put("fee", Decimals.format(decimal(random, random.nextInt(1000) - 100, 5))).put("feeAsset", random.nextBoolean() ? "USDT" : "BNB");
      }
      bus.ok("trading.fills.record", body);
      order.filled()[0] = order.filled()[0].add(quantity);
      recorded++;
    }
    assertTrue(recorded > 30, "the sequence recorded " + recorded + " fills");

    for (String account : accounts) {
      for (String symbol : symbols) {
        Position recomputed = Position.flat(account, symbol);
        for (JsonObject f : allFills(new JsonObject().put("symbol", symbol))) {
          if (!f.getString("account").equals(account)) {
            continue;
          }
          BigDecimal fee = f.getString("fee") == null ? null : new BigDecimal(f.getString("fee"));
          recomputed = PositionLedger.apply(recomputed, Side.valueOf(f.getString("side")), new BigDecimal(f.getString("quantity")),
              new BigDecimal(f.getString("price")), fee, f.getString("feeAsset"));
        }
        JsonObject stored = bus.ok("trading.positions.get", new JsonObject().put("account", account).put("symbol", symbol));
        String where = "seed " + seed + " " + account + "/" + symbol;
        assertEquals(Decimals.format(recomputed.quantity()), stored.getString("quantity"), where);
        assertEquals(Decimals.format(recomputed.averagePrice()), stored.getString("averagePrice"), where);
        assertEquals(Decimals.format(recomputed.realizedPnl()), stored.getString("realizedPnl"), where);
        assertEquals(io.tradestore.position.PositionStore.feesJson(recomputed.fees()), stored.getJsonObject("fees"), where);
        assertEquals(recomputed.fillCount(), stored.getLong("fillCount"), where);
      }
    }
    for (OpenOrder order : orders) {
      BigDecimal sum = BigDecimal.ZERO;
      for (JsonObject f : allFills(new JsonObject().put("orderId", order.orderId()))) {
        sum = sum.add(new BigDecimal(f.getString("quantity")));
      }
      JsonObject stored = bus.ok("trading.orders.get", new JsonObject().put("orderId", order.orderId()));
      assertEquals(Decimals.format(sum), stored.getString("filledQuantity"), "seed " + seed + " order " + order.orderId());
      assertEquals(Decimals.format(order.filled()[0]), stored.getString("filledQuantity"));
      String expectedStatus = sum.signum() == 0 ? "NEW" : sum.compareTo(order.quantity()) == 0 ? "FILLED" : "PARTIALLY_FILLED";
      assertEquals(expectedStatus, stored.getString("status"));
    }
  }

  /** Every fill the query lists, walking the pages (small pages, so paging itself is exercised). */
  private static List<JsonObject> allFills(JsonObject query) {
    List<JsonObject> all = new ArrayList<>();
    Map<String, Boolean> seen = new LinkedHashMap<>();
    String cursor = null;
    do {
      JsonObject request = query.copy().put("limit", 7);
      if (cursor != null) {
        request.put("cursor", cursor);
      }
      JsonObject page = bus.ok("trading.fills.list", request);
      page.getJsonArray("fills").forEach(f -> {
        JsonObject fill = (JsonObject) f;
        assertEquals(null, seen.put(fill.getString("fillId"), true), "listed twice: " + fill.getString("fillId"));
        all.add(fill);
      });
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    return all;
  }

  /** unscaled / 10^scale */
  private static BigDecimal decimal(Random random, long unscaled, int scale) {
    return BigDecimal.valueOf(unscaled, scale);
  }
}
