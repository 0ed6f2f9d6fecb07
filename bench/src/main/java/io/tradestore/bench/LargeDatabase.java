package io.tradestore.bench;

import io.tradestore.Addresses;
import io.tradestore.config.EngineConfig;
import io.tradestore.store.SqliteConnections;
import io.tradestore.store.migration.MigrationRunner;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code --large}: a database with a million fills (10 per order, 40 symbols, 5 accounts, a tenth of the orders
 * still open, three published outbox events per fill, as the engine leaves them), written by plain JDBC; then the
 * engine's startup on it and the latency of its hot queries through the event bus.
 */
final class LargeDatabase {
  static final int FILLS_PER_ORDER = 10;
  private static final String INSERT_ORDER = """
      INSERT INTO orders (order_id, account, symbol, side, type, quantity, price, status, filled_quantity,
                          filled_notional, average_price, created_at, updated_at)
      VALUES (?, ?, ?, ?, 'LIMIT', '10', '100', ?, ?, ?, '100', ?, ?)""";
  private static final String INSERT_PUBLISHED = """
      INSERT INTO outbox (event_id, aggregate_type, aggregate_id, event_type, payload, headers, created_at,
                          status, attempts, next_attempt_at, published_at)
      VALUES (?, ?, ?, ?, ?, '{"producer":"tradestore"}', ?, 'PUBLISHED', 1, ?, ?)""";

  private LargeDatabase() { }

  /** Writes {@code fills} fills into a fresh database migrated with the real schema. */
  static void build(EngineConfig config, long fills) throws SQLException {
    new MigrationRunner(config.database(), config.migrations()).migrate();
    long orders = Math.max(1, fills / FILLS_PER_ORDER);
    try (Connection c = SqliteConnections.openDirect(config.database());
         Statement tx = c.createStatement();
         PreparedStatement order = c.prepareStatement(INSERT_ORDER);
         PreparedStatement fill = c.prepareStatement(RawJdbcBench.INSERT_FILL);
         PreparedStatement position = c.prepareStatement(RawJdbcBench.UPSERT_POSITION);
         PreparedStatement outbox = c.prepareStatement(INSERT_PUBLISHED)) {
      long now = System.currentTimeMillis() - fills; // one fill a millisecond up to now
      for (long o = 0; o < orders; o++) {
        if (o % 500 == 0) {
          tx.execute("BEGIN IMMEDIATE");
        }
        boolean open = o % 10 == 0;
        String orderId = "large-o" + o;
        String account = "acct-" + (o % Workload.ACCOUNTS);
        String symbol = Workload.symbol((int) (o % Workload.SYMBOLS));
        order.setString(1, orderId);
        order.setString(2, account);
        order.setString(3, symbol);
        order.setString(4, o % 2 == 0 ? "BUY" : "SELL");
        order.setString(5, open ? "PARTIALLY_FILLED" : "FILLED");
        order.setString(6, open ? "9" : "10");
        order.setString(7, open ? "900" : "1000");
        order.setLong(8, now);
        order.setLong(9, now);
        order.addBatch();
        int count = open ? FILLS_PER_ORDER - 1 : FILLS_PER_ORDER;
        for (int f = 0; f < count; f++) {
          long t = now++;
          String fillId = orderId + "-f" + f;
          fill.setString(1, fillId);
          fill.setString(2, orderId);
          fill.setString(3, account);
          fill.setString(4, symbol);
          fill.setString(5, o % 2 == 0 ? "BUY" : "SELL");
          fill.setString(6, "100");
          fill.setString(7, "1");
          fill.setString(8, "0.01");
          fill.setString(9, "USDT");
          fill.setString(10, "TAKER");
          fill.setString(11, fillId + "-t");
          fill.setInt(12, 0);
          fill.setLong(13, t);
          fill.setLong(14, t);
          fill.addBatch();
          JsonObject template = NoopBridge.REPLY;
          published(outbox, "order", orderId, "fill.recorded", template.getJsonObject("fill").copy().put("fillId", fillId), t);
          published(outbox, "order", orderId, "order.updated", template.getJsonObject("order").copy().put("orderId", orderId), t);
          published(outbox, "position", account + "/" + symbol, "position.changed", template.getJsonObject("position"), t);
        }
        position.setString(1, account);
        position.setString(2, symbol);
        position.setString(3, String.valueOf(o));
        position.setString(4, "100");
        position.setString(5, "100");
        position.setString(6, "0");
        position.setString(7, "{\"USDT\":\"0.01\"}");
        position.setLong(8, o * FILLS_PER_ORDER);
        position.setString(9, orderId + "-f0");
        position.setLong(10, now);
        position.addBatch();
        if (o % 500 == 499 || o == orders - 1) {
          order.executeBatch();
          fill.executeBatch();
          position.executeBatch();
          outbox.executeBatch();
          tx.execute("COMMIT");
        }
      }
      tx.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }
  }

  private static void published(PreparedStatement outbox, String aggregateType, String aggregateId, String type,
                                JsonObject payload, long at) throws SQLException {
    outbox.setString(1, io.tradestore.outbox.EventIds.next());
    outbox.setString(2, aggregateType);
    outbox.setString(3, aggregateId);
    outbox.setString(4, type);
    outbox.setString(5, payload.encode());
    outbox.setLong(6, at);
    outbox.setLong(7, at);
    outbox.setLong(8, at + 2);
    outbox.addBatch();
  }

  /**
   * p50/p99/max (ms) of each hot query, sent one at a time through the engine's event bus, after {@code warmupMs} of
   * the same query unrecorded: the JIT compiles each query's own path (its rows, its JSON) during its first second
   * or so, and a position read then took 1-20 ms where it takes 0.2 ms once compiled (measured: 20,000 reads, p99
   * 1.6 ms over all, 0.68 ms after the first quarter; the slow ones were all in the first second).
   */
  static Map<String, Histogram> hotQueries(Vertx vertx, long fills, int samples, long warmupMs) throws Exception {
    long orders = Math.max(1, fills / FILLS_PER_ORDER);
    Map<String, java.util.function.Supplier<JsonObject>> queries = new LinkedHashMap<>();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    queries.put(Addresses.ORDERS_GET + " (order by id)", () -> new JsonObject().put("orderId", "large-o" + random.nextLong(orders)));
    queries.put(Addresses.ORDERS_LIST + " (open orders of a symbol)", () -> new JsonObject()
        .put("symbol", Workload.symbol(random.nextInt(Workload.SYMBOLS))).put("status", "PARTIALLY_FILLED").put("limit", 100));
    queries.put(Addresses.FILLS_LIST + " (fills of an order)", () -> new JsonObject().put("orderId", "large-o" + random.nextLong(orders)));
    queries.put(Addresses.POSITIONS_GET + " (position by account + symbol)", () -> new JsonObject()
        .put("account", "acct-" + random.nextInt(Workload.ACCOUNTS)).put("symbol", Workload.symbol(random.nextInt(Workload.SYMBOLS))));
    Map<String, Histogram> results = new LinkedHashMap<>();
    for (var query : queries.entrySet()) {
      String address = query.getKey().substring(0, query.getKey().indexOf(' '));
      Histogram h = new Histogram(3);
      long warmEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmupMs);
      while (System.nanoTime() < warmEnd) {
        vertx.eventBus().request(address, query.getValue().get()).await(10, TimeUnit.SECONDS);
      }
      for (int i = 0; i < samples; i++) {
        long start = System.nanoTime();
        vertx.eventBus().request(address, query.getValue().get()).await(10, TimeUnit.SECONDS);
        h.recordValue((System.nanoTime() - start) / 1000);
      }
      results.put(query.getKey(), h);
    }
    return results;
  }
}
