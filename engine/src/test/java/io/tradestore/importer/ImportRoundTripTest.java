package io.tradestore.importer;

import io.tradestore.Addresses;
import io.tradestore.client.ClientOptions;
import io.tradestore.export.ExportFilters;
import io.tradestore.export.Exporter;
import io.tradestore.store.SqliteConnections;
import io.tradestore.support.Bus;
import io.tradestore.support.RunningEngine;
import io.tradestore.support.TestEngineConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Writer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random orders and fills on one engine, exported, imported into a fresh database: the positions, orders, fills and
 * statements are the same; and importing the same files again changes nothing (every row a duplicate).
 */
class ImportRoundTripTest {
  private static final String[] ACCOUNTS = {"desk-a", "desk-b", "desk-c"};
  private static final String[] SYMBOLS = {"BTCUSDT", "ETHUSDT", "SOLUSDT"};
  private static final long T0 = 1_790_000_000_000L;

  @TempDir Path dir;

  @Test
  void exportedOrdersAndFillsImportedIntoAFreshDatabaseGiveTheSameBookAndASecondImportChangesNothing()
      throws Exception {
    Path orders = dir.resolve("orders.csv");
    Path fills = dir.resolve("fills.jsonl");
    Map<String, String> sourceState;
    Map<String, JsonObject> sourceStatements;
    try (RunningEngine source = RunningEngine.start(dir.resolve("source"))) {
      trade(new Bus(source.engine.vertx()), new Random(20261204));
      export(source, "orders", "csv", orders);
      export(source, "fills", "jsonl", fills);
      sourceState = book(source);
      sourceStatements = statements(new Bus(source.engine.vertx()));
    }

    var target = TestEngineConfig.in(dir.resolve("target"), Map.of("bridge.enabled", false, "http.enabled", false));
    ImportSummary first;
    try (LocalEngineSink sink = LocalEngineSink.start(target)) {
      first = new Importer(sink, 32, false, progress -> { }).run(List.of(orders, fills), null);
    }
    assertEquals(0, first.rejected(), first.toString());
    assertTrue(first.files().get(1).imported() > 100, first.toString());

    try (RunningEngine imported = RunningEngine.start(dir.resolve("target"))) {
      Map<String, String> importedState = book(imported);
      sourceState.forEach((table, rows) -> assertEquals(rows, importedState.get(table), table));
      assertEquals(sourceStatements, statements(new Bus(imported.engine.vertx())));

      long events = imported.queryLong("SELECT count(*) FROM outbox");
      ImportSummary second;
      try (BridgeSink sink = BridgeSink.connect(ClientOptions.of("127.0.0.1", imported.config.bridge().port()))) {
        second = new Importer(sink, 32, false, progress -> { }).run(List.of(orders, fills), null);
      }
      for (ImportSummary.FileSummary file : second.files()) {
        assertEquals(0, file.imported(), second.toString());
        assertEquals(0, file.rejected(), second.toString());
        assertEquals(file.rows(), file.duplicates(), second.toString());
      }
      assertEquals(events, imported.queryLong("SELECT count(*) FROM outbox"), "the second import wrote events");
      Map<String, String> afterSecond = book(imported);
      sourceState.forEach((table, rows) -> assertEquals(rows, afterSecond.get(table), table));
    }
  }

  /**
   * Orders placed on three accounts and symbols, some accepted by the venue, fills arriving across orders in random
   * order (buys and sells, fees, some partial), then some orders cancelled or expired after partial fills, and some
   * rejected before any fill.
   */
  private static void trade(Bus bus, Random random) {
    List<String> ids = new ArrayList<>();
    Map<String, BigDecimal> left = new HashMap<>();
    for (int i = 0; i < 120; i++) {
      String orderId = "o-" + i;
      BigDecimal quantity = BigDecimal.valueOf(1 + random.nextInt(5000), random.nextInt(3));
      BigDecimal price = BigDecimal.valueOf(100_00 + random.nextInt(900_00), 2);
      bus.ok(Addresses.ORDERS_PLACE, new JsonObject().put("orderId", orderId)
          .put("account", ACCOUNTS[random.nextInt(ACCOUNTS.length)]).put("symbol", SYMBOLS[random.nextInt(SYMBOLS.length)])
          .put("side", random.nextBoolean() ? "BUY" : "SELL").put("type", "LIMIT")
          .put("quantity", quantity.toPlainString()).put("price", price.toPlainString()));
      if (random.nextInt(4) == 0) {
        bus.ok(Addresses.ORDERS_UPDATE, new JsonObject().put("orderId", orderId).put("status", "ACCEPTED")
            .put("externalOrderId", "V-" + i));
      }
      ids.add(orderId);
      left.put(orderId, quantity);
    }
    List<String> rejected = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String orderId = ids.remove(random.nextInt(ids.size()));
      if (bus.ok(Addresses.ORDERS_GET, new JsonObject().put("orderId", orderId)).getString("status").equals("NEW")) {
        bus.ok(Addresses.ORDERS_UPDATE, new JsonObject().put("orderId", orderId).put("status", "REJECTED")
            .put("reason", "insufficient margin"));
        rejected.add(orderId);
      }
    }
    for (int n = 0; n < 400; n++) {
      String orderId = ids.get(random.nextInt(ids.size()));
      BigDecimal remaining = left.get(orderId);
      if (remaining.signum() == 0) {
        continue;
      }
      BigDecimal quantity = random.nextInt(3) == 0 ? remaining
          : remaining.multiply(BigDecimal.valueOf(1 + random.nextInt(60), 2)).setScale(remaining.scale() + 1,
              java.math.RoundingMode.DOWN);
      if (quantity.signum() == 0) {
        continue;
      }
      JsonObject fill = new JsonObject().put("fillId", "f-" + n).put("orderId", orderId)
          .put("price", BigDecimal.valueOf(100_00 + random.nextInt(900_00), 2).toPlainString())
          .put("quantity", quantity.toPlainString()).put("executedAt", T0 + n * 1_000L);
      if (random.nextBoolean()) {
        fill.put("fee", BigDecimal.valueOf(random.nextInt(1000) - 100, 4).toPlainString()).put("feeAsset", "USDT");
      }
      bus.ok(Addresses.FILLS_RECORD, fill);
      left.put(orderId, remaining.subtract(quantity));
    }
    for (int i = 0; i < 20; i++) {
      String orderId = ids.get(random.nextInt(ids.size()));
      if (left.get(orderId).signum() > 0 && !rejected.contains(orderId)) {
        String status = random.nextBoolean() ? "CANCELLED" : "EXPIRED";
        JsonObject order = bus.ok(Addresses.ORDERS_GET, new JsonObject().put("orderId", orderId));
        if (!order.getString("status").equals("CANCELLED") && !order.getString("status").equals("EXPIRED")) {
          bus.ok(Addresses.ORDERS_UPDATE, new JsonObject().put("orderId", orderId).put("status", status));
        }
      }
    }
  }

  private static void export(RunningEngine engine, String table, String format, Path file) throws Exception {
    try (Connection c = SqliteConnections.reader(engine.config.database()).getConnection();
         Writer out = Files.newBufferedWriter(file)) {
      Exporter.export(c, table, format, new ExportFilters(null, null, null, null), out);
    }
  }

  /** What must be equal, table by table, without the times of recording (the import records anew). */
  private static Map<String, String> book(RunningEngine engine) throws Exception {
    Map<String, String> tables = new HashMap<>();
    tables.put("positions", rows(engine, "SELECT account, symbol, quantity, average_price, realized_pnl, fees, "
        + "fill_count, last_fill_id FROM positions ORDER BY account, symbol"));
    tables.put("orders", rows(engine, "SELECT order_id, external_order_id, account, symbol, side, type, quantity, "
        + "price, status, filled_quantity, average_price, reject_reason FROM orders ORDER BY order_id"));
    tables.put("fills", rows(engine, "SELECT fill_id, order_id, account, symbol, side, price, quantity, fee, "
        + "fee_asset, executed_at, late FROM fills ORDER BY fill_id"));
    return tables;
  }

  private static String rows(RunningEngine engine, String sql) throws Exception {
    StringBuilder text = new StringBuilder();
    try (Connection c = SqliteConnections.reader(engine.config.database()).getConnection();
         ResultSet rs = c.createStatement().executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          text.append(rs.getString(i)).append(i == columns ? "\n" : "|");
        }
      }
    }
    assertTrue(text.length() > 0, "no rows: " + sql);
    return text.toString();
  }

  private static Map<String, JsonObject> statements(Bus bus) {
    Map<String, JsonObject> statements = new HashMap<>();
    for (String account : ACCOUNTS) {
      statements.put(account, bus.ok(Addresses.STATEMENTS_GET, new JsonObject().put("account", account)));
    }
    return statements;
  }
}
