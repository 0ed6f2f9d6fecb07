package io.tradestore.bench;

import io.tradestore.config.EngineConfig;
import io.tradestore.store.SqliteConnections;
import io.tradestore.store.migration.MigrationRunner;
import io.vertx.core.json.JsonObject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The raw ceiling: plain JDBC on one connection opened exactly as the engine's writer opens it
 * ({@link SqliteConnections#writer}), into a database migrated with the real schema ({@link MigrationRunner}). Per
 * fill it makes the writes the engine makes for {@code trading.fills.record} (insert the fill, update the order,
 * upsert the position, insert three outbox rows), with the engine's own SQL, but no reads: this is what a writer
 * that decides in memory could reach at best.
 */
final class RawJdbcBench {
  // the engine's own statements, so that the raw ceiling writes exactly what the engine writes
  static final String INSERT_FILL = io.tradestore.fill.FillStatements.INSERT;
  static final String UPDATE_ORDER = io.tradestore.order.OrderStatements.UPDATE;
  static final String UPSERT_POSITION = io.tradestore.position.PositionStatements.UPSERT;
  static final String INSERT_OUTBOX = io.tradestore.outbox.OutboxStatements.INSERT;
  private static final String INSERT_ORDER = """
      INSERT INTO orders (order_id, account, symbol, side, type, quantity, price, status, created_at, updated_at)
      VALUES (?, ?, ?, 'BUY', 'MARKET', '1000000000', NULL, 'NEW', ?, ?)""";
  private static final String HEADERS = new JsonObject().put("producer", "tradestore").encode();
  private static final int ORDERS = 2_000;

  record Result(EngineConfig.Synchronous synchronous, int perTransaction, long fills, double seconds, long commits,
                double bytesPerFill, double cpuMicrosPerFill) {
    double fillsPerSecond() {
      return fills / seconds;
    }
  }

  private RawJdbcBench() { }

  /** Migrates a fresh database at {@code config}, then writes fills for {@code warmupMs} + {@code durationMs}. */
  static Result run(EngineConfig config, int perTransaction, long warmupMs, long durationMs) throws SQLException, java.io.IOException {
    new MigrationRunner(config.database(), config.migrations()).migrate();
    try (Connection c = SqliteConnections.openDirect(config.database());
         Statement tx = c.createStatement();
         PreparedStatement fill = c.prepareStatement(INSERT_FILL);
         PreparedStatement order = c.prepareStatement(UPDATE_ORDER);
         PreparedStatement position = c.prepareStatement(UPSERT_POSITION);
         PreparedStatement outbox = c.prepareStatement(INSERT_OUTBOX)) {
      seedOrders(c, tx);
      long now = System.nanoTime();
      long windowStart = now + warmupMs * 1_000_000;
      long windowEnd = windowStart + durationMs * 1_000_000;
      long sequence = 0;
      long counted = 0;
      long commits = 0;
      long cpuAtWindow = -1;
      long cpuAtEnd = 0;
      while (true) {
        tx.execute("BEGIN IMMEDIATE");
        for (int i = 0; i < perTransaction; i++) {
          bind(++sequence, fill, order, position, outbox);
          if (perTransaction == 1) {
            fill.executeUpdate();
            order.executeUpdate();
            position.executeUpdate();
          } else {
            fill.addBatch();
            order.addBatch();
            position.addBatch();
          }
        }
        if (perTransaction > 1) {
          fill.executeBatch();
          order.executeBatch();
          position.executeBatch();
        }
        outbox.executeBatch();
        tx.execute("COMMIT");
        long after = System.nanoTime();
        if (after >= windowEnd) {
          cpuAtEnd = CpuAccount.currentThreadCpuNanos();
          break;
        }
        if (after >= windowStart) {
          if (cpuAtWindow < 0) {
            cpuAtWindow = CpuAccount.currentThreadCpuNanos();
            counted -= perTransaction; // the transaction that crossed into the window is before the CPU mark
            commits--;
          }
          counted += perTransaction;
          commits++;
        }
      }
      tx.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      long bytes = java.nio.file.Files.size(config.database().path());
      return new Result(config.database().synchronous(), perTransaction, counted, durationMs / 1000.0, commits,
          bytes / (double) sequence, counted <= 0 ? Double.NaN : (cpuAtEnd - cpuAtWindow) / 1000.0 / counted);
    }
  }

  private static void seedOrders(Connection c, Statement tx) throws SQLException {
    long now = System.currentTimeMillis();
    tx.execute("BEGIN IMMEDIATE");
    try (PreparedStatement insert = c.prepareStatement(INSERT_ORDER)) {
      for (int i = 0; i < ORDERS; i++) {
        insert.setString(1, "raw-o" + i);
        insert.setString(2, "acct-" + (i % Workload.ACCOUNTS));
        insert.setString(3, Workload.symbol(i));
        insert.setLong(4, now);
        insert.setLong(5, now);
        insert.addBatch();
      }
      insert.executeBatch();
    }
    tx.execute("COMMIT");
  }

  /** One fill's rows, with values and payloads shaped like the engine's (the same JSON the events carry). */
  private static void bind(long n, PreparedStatement fill, PreparedStatement order, PreparedStatement position,
                           PreparedStatement outbox) throws SQLException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int o = (int) (n % ORDERS);
    String orderId = "raw-o" + o;
    String fillId = "raw-f" + n;
    String account = "acct-" + (o % Workload.ACCOUNTS);
    String symbol = Workload.symbol(o);
    String price = Workload.price(10_000 + random.nextInt(-500, 500));
    long now = System.currentTimeMillis();
    long filled = n / ORDERS + 1;
    fill.setString(1, fillId);
    fill.setString(2, orderId);
    fill.setString(3, account);
    fill.setString(4, symbol);
    fill.setString(5, "BUY");
    fill.setString(6, price);
    fill.setString(7, "1");
    fill.setString(8, "0.01");
    fill.setString(9, "USDT");
    fill.setString(10, "TAKER");
    fill.setString(11, "raw-t" + n);
    fill.setInt(12, 0);
    fill.setLong(13, now);
    fill.setLong(14, now);
    order.setString(1, null);
    order.setString(2, "PARTIALLY_FILLED");
    order.setString(3, String.valueOf(filled));
    order.setString(4, price);
    order.setString(5, price);
    order.setString(6, null);
    order.setLong(7, now);
    order.setString(8, orderId);
    position.setString(1, account);
    position.setString(2, symbol);
    position.setString(3, String.valueOf(n));
    position.setString(4, price);
    position.setString(5, price);
    position.setString(6, "0");
    position.setString(7, "{\"USDT\":\"0.01\"}");
    position.setLong(8, n);
    position.setString(9, fillId);
    position.setLong(10, now);
    JsonObject template = NoopBridge.REPLY;
    event(outbox, "order", orderId, "fill.recorded", template.getJsonObject("fill").copy().put("fillId", fillId), now);
    event(outbox, "order", orderId, "order.updated", template.getJsonObject("order").copy().put("orderId", orderId)
        .put("previousStatus", "PARTIALLY_FILLED"), now);
    event(outbox, "position", account + "/" + symbol, "position.changed",
        template.getJsonObject("position").copy().put("lastFillId", fillId), now);
  }

  private static void event(PreparedStatement outbox, String aggregateType, String aggregateId, String type,
                            JsonObject payload, long now) throws SQLException {
    outbox.setString(1, io.tradestore.outbox.EventIds.next());
    outbox.setString(2, aggregateType);
    outbox.setString(3, aggregateId);
    outbox.setString(4, type);
    outbox.setString(5, payload.encode());
    outbox.setString(6, HEADERS);
    outbox.setLong(7, now);
    outbox.setLong(8, now);
    outbox.addBatch();
  }
}
