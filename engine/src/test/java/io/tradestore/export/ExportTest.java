package io.tradestore.export;

import io.tradestore.Addresses;
import io.tradestore.store.SqliteConnections;
import io.tradestore.support.EngineFixture;
import io.vertx.core.json.JsonObject;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.io.StringWriter;
import java.sql.Connection;
import java.util.List;

import static io.tradestore.support.Trading.fill;
import static io.tradestore.support.Trading.id;
import static io.tradestore.support.Trading.limit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exports of a live engine's database, read back with a CSV parser and as JSON: what an accountant's tools see. */
class ExportTest extends EngineFixture {
  private static final long T0 = 1_790_000_000_000L;

  private String export(ExportTable table, ExportFormat format, ExportFilters filters) throws Exception {
    StringWriter out = new StringWriter();
    try (Connection c = SqliteConnections.reader(running.config.database()).getConnection()) {
      Exporter.export(c, table, format, filters, out);
    }
    return out.toString();
  }

  private static List<CSVRecord> csv(String text) throws Exception {
    try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(text))) {
      return parser.getRecords();
    }
  }

  @Test
  void fillsAreExportedWithTheirDocumentedColumnsExactDecimalsAndQuotedText() throws Exception {
    // A comma and quotes, which the CSV must quote, and text outside ASCII (a surrogate pair too), which the
    // export must carry unchanged
    String account = "desk, \"north\" Zürich 東京 \uD83D\uDE80 " + id("a");
    String orderId = id("o");
    bus.ok(Addresses.ORDERS_PLACE, limit(orderId, account, "BTCUSDT", "BUY", "1", "100.10"));
    bus.ok(Addresses.FILLS_RECORD, fill(id("f"), orderId, "0.1", "100.1").put("executedAt", T0)
        .put("fee", "-0.00001").put("feeAsset", "USDT"));
    bus.ok(Addresses.FILLS_RECORD, fill(id("f"), orderId, "0.2", "100.2").put("executedAt", T0 + 1));

    String text = export(ExportTable.FILLS, ExportFormat.CSV, new ExportFilters(account, null, null, null));
    assertTrue(text.startsWith("fillId,orderId,account,symbol,side,price,quantity,fee,feeAsset,liquidity,tradeId,"
        + "late,executedAt,recordedAt\n"), text);
    List<CSVRecord> rows = csv(text);
    assertEquals(2, rows.size());
    assertEquals(account, rows.get(0).get("account"));
    assertEquals("0.1", rows.get(0).get("quantity"));
    assertEquals("-0.00001", rows.get(0).get("fee"), "exact text, no exponent");
    assertEquals("", rows.get(1).get("fee"), "no fee: an empty field");
    assertEquals(java.time.Instant.ofEpochMilli(T0).toString(), rows.get(0).get("executedAt"));
    assertEquals("false", rows.get(0).get("late"));

    String jsonl = export(ExportTable.FILLS, ExportFormat.JSONL, new ExportFilters(account, null, null, null));
    List<JsonObject> lines = jsonl.lines().map(JsonObject::new).toList();
    assertEquals(2, lines.size());
    assertEquals("100.2", lines.get(1).getString("price"));
    assertEquals(false, lines.get(1).getBoolean("late"));
    assertEquals(null, lines.get(1).getValue("fee"));
  }

  @Test
  void filtersKeepAnAccountsSymbolAndATimeRange() throws Exception {
    String account = id("acct");
    for (int i = 0; i < 3; i++) {
      String orderId = id("o");
      bus.ok(Addresses.ORDERS_PLACE, limit(orderId, account, i == 2 ? "ETHUSDT" : "BTCUSDT", "BUY", "1", "10"));
      bus.ok(Addresses.FILLS_RECORD, fill(id("f"), orderId, "1", "10").put("executedAt", T0 + i * 1_000));
    }
    assertEquals(2, csv(export(ExportTable.FILLS, ExportFormat.CSV, new ExportFilters(account, "BTCUSDT", null, null))).size());
    assertEquals(1, csv(export(ExportTable.FILLS, ExportFormat.CSV,
        new ExportFilters(account, null, T0 + 1_000, T0 + 2_000))).size(), "[from, to)");
    assertEquals(3, csv(export(ExportTable.ORDERS, ExportFormat.CSV, new ExportFilters(account, null, null, null))).size());
    List<CSVRecord> positions = csv(export(ExportTable.POSITIONS, ExportFormat.CSV, new ExportFilters(account, null, null, null)));
    assertEquals(List.of("BTCUSDT", "ETHUSDT"), positions.stream().map(r -> r.get("symbol")).toList());
    assertEquals("2", positions.get(0).get("quantity"));
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> export(ExportTable.EVENTS, ExportFormat.CSV, new ExportFilters(account, null, null, null)));
    assertEquals("--account does not apply to events", refused.getMessage());
  }

  @Test
  void eventsCarryTheirPayloadAsJson() throws Exception {
    String orderId = id("o");
    bus.ok(Addresses.ORDERS_PLACE, limit(orderId, "desk", "BTCUSDT", "SELL", "3", "99.5"));
    List<JsonObject> events = export(ExportTable.EVENTS, ExportFormat.JSONL, new ExportFilters(null, null, null, null))
        .lines().map(JsonObject::new).filter(e -> orderId.equals(e.getString("aggregateId"))).toList();
    assertEquals(1, events.size());
    assertEquals("order.placed", events.get(0).getString("type"));
    assertEquals("99.5", events.get(0).getJsonObject("payload").getString("price"));
  }
}
