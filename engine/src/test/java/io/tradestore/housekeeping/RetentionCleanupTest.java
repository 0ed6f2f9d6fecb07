package io.tradestore.housekeeping;

import io.tradestore.config.EngineConfig;
import io.tradestore.support.Db;
import io.tradestore.support.RunningEngine;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetentionCleanupTest {
  private static final long DAY = 86_400_000L;
  private static final long NOW = Instant.parse("2026-11-23T12:00:00Z").toEpochMilli();

  @TempDir Path dir;

  private static void quote(Db db, String id, String status, long updatedAt) {
    db.execute("INSERT INTO quotes (quote_id, symbol, bid_price, bid_quantity, ask_price, ask_quantity, spread_bps, status,"
        + " created_at, updated_at) VALUES ('" + id + "', 'BTC', '1', '1', '2', '1', '1', '" + status + "', " + updatedAt
        + ", " + updatedAt + ")");
  }

  private static void order(Db db, String id, String status, long updatedAt) {
    db.execute("INSERT INTO orders (order_id, account, symbol, side, type, quantity, price, status, created_at, updated_at)"
        + " VALUES ('" + id + "', 'a', 'BTC', 'BUY', 'LIMIT', '1', '1', '" + status + "', " + updatedAt + ", " + updatedAt + ")");
  }

  private static void fill(Db db, String id, String orderId, long recordedAt) {
    db.execute("INSERT INTO fills (fill_id, order_id, account, symbol, side, price, quantity, executed_at, recorded_at)"
        + " VALUES ('" + id + "', '" + orderId + "', 'a', 'BTC', 'BUY', '1', '1', " + recordedAt + ", " + recordedAt + ")");
  }

  private static void event(Db db, String id, String status, Long publishedAt) {
    db.execute("INSERT INTO outbox (event_id, aggregate_type, aggregate_id, event_type, payload, created_at, status,"
        + " next_attempt_at, published_at) VALUES ('" + id + "', 'order', 'x', 'order.updated', '{}', 0, '" + status
        + "', 9999999999999, " + publishedAt + ")");
  }

  private static void alert(Db db, String id, String status, long updatedAt, int firings) {
    db.execute("INSERT INTO alerts (alert_id, account, symbol, kind, condition, threshold, repeat_mode, status, armed,"
        + " firings, created_at, updated_at) VALUES ('" + id + "', 'a', 'BTC', 'MID', 'ABOVE', '1', 'ONCE', '" + status
        + "', 1, " + firings + ", " + updatedAt + ", " + updatedAt + ")");
    for (int i = 1; i <= firings; i++) {
      db.execute("INSERT INTO alert_firings (alert_id, value, cause, cause_id, fired_at) VALUES ('" + id + "', '2',"
          + " 'QUOTE', '" + id + "-q" + i + "', " + updatedAt + ")");
    }
  }

  private static Set<String> ids(Db db, String sql) {
    Set<String> ids = new HashSet<>();
    db.rows(sql).forEach(r -> ids.add(String.valueOf(r.values().iterator().next())));
    return ids;
  }

  private static RetentionCleanup cleanup(RunningEngine running, Path archive, int batchSize) {
    var settings = new EngineConfig.Retention(false, 60, 7, 90, 90, 30, 30, batchSize, archive);
    return new RetentionCleanup(running.engine.vertx(), running.engine.startup().store(), settings,
        Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), (table, n) -> { });
  }

  /** Rows on both sides of every cutoff; unfinished events parked far in the future so no dispatcher touches them. */
  private static void seed(Db db) {
    long second = 1000;
    quote(db, "q-used-old", "USED", NOW - 7 * DAY - second);
    quote(db, "q-expired-old", "EXPIRED", NOW - 8 * DAY);
    quote(db, "q-cancelled-young", "CANCELLED", NOW - 7 * DAY + second);
    quote(db, "q-active-ancient", "ACTIVE", NOW - 300 * DAY);
    order(db, "o-filled-old", "FILLED", NOW - 91 * DAY);
    fill(db, "f-old-1", "o-filled-old", NOW - 91 * DAY);
    fill(db, "f-old-2", "o-filled-old", NOW - 92 * DAY);
    order(db, "o-recent-fill", "FILLED", NOW - 91 * DAY);
    fill(db, "f-recent", "o-recent-fill", NOW - 90 * DAY + second);
    order(db, "o-open-ancient", "PARTIALLY_FILLED", NOW - 300 * DAY);
    fill(db, "f-open", "o-open-ancient", NOW - 300 * DAY);
    order(db, "o-cancelled-young", "CANCELLED", NOW - 90 * DAY + second);
    event(db, "e-pending", "PENDING", null);
    event(db, "e-inflight", "IN_FLIGHT", null);
    event(db, "e-blocked", "BLOCKED", null);
    event(db, "e-published-old", "PUBLISHED", NOW - 30 * DAY - second);
    event(db, "e-skipped-old", "SKIPPED", NOW - 31 * DAY);
    event(db, "e-published-young", "PUBLISHED", NOW - 30 * DAY + second);
    alert(db, "al-triggered-old", "TRIGGERED", NOW - 31 * DAY, 2);
    alert(db, "al-expired-old", "EXPIRED", NOW - 30 * DAY - second, 0);
    alert(db, "al-cancelled-young", "CANCELLED", NOW - 30 * DAY + second, 0);
    alert(db, "al-active-ancient", "ACTIVE", NOW - 300 * DAY, 1);
    db.execute("INSERT INTO positions (account, symbol, quantity, realized_pnl, updated_at) VALUES ('a', 'BTC', '0', '5', 0)");
    db.execute("INSERT INTO balances (account, asset, available, locked, total, as_of, updated_at) VALUES ('a', 'USDT', '1', '0', '1', 0, 0)");
  }

  @Test
  void onlyRowsPastTheirCutoffGoAndOpenOrdersUnfinishedEventsPositionsAndBalancesStay() throws Exception {
    try (RunningEngine running = RunningEngine.start(dir, Map.of("retention.atStartup", false))) {
      Db db = new Db(running.config.database().path());
      seed(db);
      RetentionCleanup.Report report = cleanup(running, null, 500).run().await(30, TimeUnit.SECONDS);

      assertEquals(Set.of("q-cancelled-young", "q-active-ancient"), ids(db, "SELECT quote_id FROM quotes"));
      assertEquals(Set.of("o-recent-fill", "o-open-ancient", "o-cancelled-young"), ids(db, "SELECT order_id FROM orders"));
      assertEquals(Set.of("f-recent", "f-open"), ids(db, "SELECT fill_id FROM fills"));
      assertEquals(Set.of("e-pending", "e-inflight", "e-blocked", "e-published-young"), ids(db, "SELECT event_id FROM outbox"));
      assertEquals(Set.of("al-cancelled-young", "al-active-ancient"), ids(db, "SELECT alert_id FROM alerts"));
      assertEquals(Set.of("al-active-ancient-q1"), ids(db, "SELECT cause_id FROM alert_firings"));
      assertEquals(1, db.count("positions"));
      assertEquals(1, db.count("balances"));
      assertEquals(Map.of("quotes", 2L, "orders", 1L, "fills", 2L, "outbox", 2L, "alerts", 2L, "alert_firings", 2L),
          report.removed());

      RetentionCleanup.Report again = cleanup(running, null, 500).run().await(30, TimeUnit.SECONDS);
      assertEquals(Map.of("quotes", 0L, "orders", 0L, "fills", 0L, "outbox", 0L, "alerts", 0L, "alert_firings", 0L),
          again.removed());
    }
  }

  @Test
  void theArchiveHoldsExactlyTheRemovedRowsOneFilePerTablePerDay() throws Exception {
    try (RunningEngine running = RunningEngine.start(dir, Map.of("retention.atStartup", false))) {
      Db db = new Db(running.config.database().path());
      seed(db);
      Path archive = dir.resolve("archive");
      cleanup(running, archive, 1).run().await(30, TimeUnit.SECONDS); // batches of one: many appends
      cleanup(running, archive, 1).run().await(30, TimeUnit.SECONDS); // a second run adds nothing

      assertEquals(Set.of("q-used-old", "q-expired-old"), archived(archive, "quotes-2026-11-23.jsonl", "quote_id"));
      assertEquals(Set.of("o-filled-old"), archived(archive, "orders-2026-11-23.jsonl", "order_id"));
      assertEquals(Set.of("f-old-1", "f-old-2"), archived(archive, "fills-2026-11-23.jsonl", "fill_id"));
      assertEquals(Set.of("e-published-old", "e-skipped-old"), archived(archive, "outbox-2026-11-23.jsonl", "event_id"));
      assertEquals(Set.of("al-triggered-old", "al-expired-old"), archived(archive, "alerts-2026-11-23.jsonl", "alert_id"));
      assertEquals(Set.of("al-triggered-old-q1", "al-triggered-old-q2"),
          archived(archive, "alert_firings-2026-11-23.jsonl", "cause_id"));
      JsonObject row = new JsonObject(Files.readAllLines(archive.resolve("orders-2026-11-23.jsonl")).get(0));
      assertEquals("FILLED", row.getString("status"), "whole rows are archived");
      try (Stream<Path> files = Files.list(archive)) {
        assertEquals(6, files.count());
      }
    }
  }

  private static Set<String> archived(Path archive, String file, String key) throws Exception {
    List<String> lines = Files.readAllLines(archive.resolve(file));
    Set<String> keys = new HashSet<>();
    for (String line : lines) {
      assertTrue(keys.add(new JsonObject(line).getString(key)), "no row archived twice: " + line);
    }
    return keys;
  }

  @Test
  void deletingInSmallBatchesLetsCommandsThroughMeanwhile() throws Exception {
    try (RunningEngine running = RunningEngine.start(dir, Map.of("retention.atStartup", false))) {
      Db db = new Db(running.config.database().path());
      db.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000) "
          + "INSERT INTO outbox (event_id, aggregate_type, aggregate_id, event_type, payload, created_at, status, "
          + "next_attempt_at, published_at) SELECT 'old-' || i, 'order', 'x' || (i % 100), 'order.updated', '{}', 0, "
          + "'PUBLISHED', 0, 0 FROM n");
      Future<RetentionCleanup.Report> cleaning = cleanup(running, null, 200).run();
      List<Long> answeredWhileCleaning = new ArrayList<>();
      Map<String, Boolean> seen = new ConcurrentHashMap<>();
      int i = 0;
      while (!cleaning.isComplete()) {
        JsonObject placed = (JsonObject) running.engine.vertx().eventBus().request("trading.orders.place", new JsonObject()
            .put("orderId", "live-" + i++).put("symbol", "ETH").put("side", "SELL").put("type", "MARKET").put("quantity", "1"))
            .await(10, TimeUnit.SECONDS).body();
        seen.put(placed.getString("orderId"), true);
        if (!cleaning.isComplete()) {
          answeredWhileCleaning.add(1L);
        }
      }
      assertEquals(50_000L, cleaning.await().removed().get("outbox"));
      assertTrue(answeredWhileCleaning.size() >= 5,
          "orders kept being answered while 250 delete batches ran: " + answeredWhileCleaning.size());
      assertEquals(seen.size(), db.count("orders"));
    }
  }

  @Test
  void anOrderRemovedByRetentionIsForgottenByTheBookSoALateFillIsNotFoundRatherThanAnError() throws Exception {
    try (RunningEngine running = RunningEngine.start(dir, Map.of("retention.atStartup", false))) {
      var bus = new io.tradestore.support.Bus(running.engine.vertx());
      bus.ok("trading.orders.place", new JsonObject().put("orderId", "old").put("symbol", "BTC").put("side", "BUY")
          .put("type", "LIMIT").put("quantity", "1").put("price", "10"));
      bus.ok("trading.fills.record", new JsonObject().put("fillId", "f-old").put("orderId", "old").put("price", "10")
          .put("quantity", "1")); // the order is FILLED and now held in memory
      Db db = new Db(running.config.database().path());
      db.execute("UPDATE orders SET updated_at = 0");
      db.execute("UPDATE fills SET recorded_at = 0");
      RetentionCleanup.Report report = cleanup(running, null, 500).forgetting(running.engine.startup().book())
          .run().await(30, TimeUnit.SECONDS);
      assertEquals(1L, report.removed().get("orders"));
      JsonObject refused = bus.refused("trading.fills.record", new JsonObject().put("fillId", "f-late")
          .put("orderId", "old").put("price", "10").put("quantity", "1"), 404);
      assertEquals("orderId", refused.getString("field"));
      JsonObject again = bus.ok("trading.orders.place", new JsonObject().put("orderId", "old").put("symbol", "BTC")
          .put("side", "SELL").put("type", "MARKET").put("quantity", "2"));
      assertEquals(false, again.getBoolean("duplicate"), "the id is free again once its order is gone");
    }
  }
}
