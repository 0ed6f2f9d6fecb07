package io.tradestore.store;

import io.tradestore.config.EngineConfig;
import io.tradestore.support.TestEngineConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The queries the engine runs on every command or read must find their rows through an index, never a scan. */
class SchemaQueryPlanTest {
  @TempDir static Path dir;
  static EngineConfig config;

  @BeforeAll
  static void migrate() {
    config = TestEngineConfig.migrated(dir);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT * FROM orders WHERE order_id = ?",
      "SELECT * FROM orders WHERE external_order_id = ?",
      "SELECT * FROM orders WHERE symbol = ? AND status IN ('NEW', 'ACCEPTED', 'PARTIALLY_FILLED')",
      "SELECT * FROM orders WHERE account = ? AND id < ? ORDER BY id DESC LIMIT 100",
      "SELECT * FROM orders WHERE account = ? AND symbol = ? AND id < ? ORDER BY id DESC LIMIT 100",
      "SELECT * FROM fills WHERE fill_id = ?",
      "SELECT * FROM fills WHERE order_id = ? ORDER BY id",
      "SELECT * FROM fills WHERE symbol = ? AND executed_at >= ? AND executed_at < ? ORDER BY executed_at, id LIMIT 100",
      // trading.fills.list of an account's symbol, a page
      "SELECT * FROM fills WHERE symbol = ? AND account = ? AND executed_at >= ? AND executed_at < ? "
          + "AND (executed_at > ? OR (executed_at = ? AND id > ?)) ORDER BY executed_at, id LIMIT 101",
      "SELECT * FROM positions WHERE account = ? AND symbol = ?",
      "SELECT * FROM positions WHERE account = ?",
      "SELECT * FROM balances WHERE account = ?",
      "SELECT * FROM quotes WHERE quote_id = ?",
      "SELECT * FROM quotes WHERE symbol = ? AND status = 'ACTIVE' ORDER BY created_at DESC LIMIT 100",
      "SELECT * FROM quotes WHERE status = 'ACTIVE' AND expires_at IS NOT NULL ORDER BY expires_at LIMIT 1",
      "SELECT * FROM orders WHERE account = ? AND status = ? AND id < ? ORDER BY id DESC LIMIT 100",
      "SELECT * FROM balance_updates WHERE account = ? AND asset = ? ORDER BY as_of",
      // trading.balances.history, a page
      "SELECT * FROM balance_updates WHERE account = ? AND asset = ? AND as_of >= ? AND as_of < ? "
          + "AND (as_of > ? OR (as_of = ? AND id > ?)) ORDER BY as_of, id LIMIT 101",
      // trading.quotes.active of a symbol, a page
      "SELECT * FROM quotes WHERE symbol = ? AND status = 'ACTIVE' AND (expires_at IS NULL OR expires_at > ?) "
          + "AND (created_at < ? OR (created_at = ? AND rowid < ?)) ORDER BY created_at DESC, rowid DESC LIMIT 101",
      "SELECT seq FROM outbox WHERE status = 'PENDING' AND next_attempt_at <= ? ORDER BY seq LIMIT 500",
      "SELECT 1 FROM outbox WHERE aggregate_type = ? AND aggregate_id = ? AND seq < ? "
          + "AND (status IN ('IN_FLIGHT', 'BLOCKED') OR (status = 'PENDING' AND attempts > 0))",
      "SELECT min(next_attempt_at) FROM outbox WHERE status = 'PENDING'",
      // trading.outbox.replay of one aggregate: a bounded seq range (no per-aggregate index since migration 004)
      "SELECT * FROM outbox WHERE seq >= ? AND seq < ? AND aggregate_type = ? AND aggregate_id = ? "
          + "ORDER BY seq LIMIT 100",
      // retention: finished orders, along the partial index orders_finished
      "SELECT order_id FROM orders WHERE status IN ('FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED') "
          + "AND updated_at < ? LIMIT 500",
      "SELECT seq FROM outbox WHERE status IN ('PUBLISHED', 'SKIPPED') AND published_at < ? "
          + "ORDER BY published_at, seq LIMIT 1000",
      "SELECT count(*) FROM outbox WHERE status IN ('PUBLISHED', 'SKIPPED')",
      // alerts: a create's or cancel's look-up, the writer's load at start, trading.alerts.list and .firings,
      // retention of finished alerts
      "SELECT * FROM alerts WHERE alert_id = ?",
      "SELECT * FROM alerts WHERE status = 'ACTIVE'",
      "SELECT * FROM alerts WHERE symbol = ? AND id < ? ORDER BY id DESC LIMIT 100",
      "SELECT * FROM alerts WHERE account = ? AND id < ? ORDER BY id DESC LIMIT 100",
      "SELECT * FROM alerts WHERE status = ? AND id < ? ORDER BY id DESC LIMIT 100",
      "SELECT * FROM alert_firings WHERE alert_id = ? AND id > ? ORDER BY id LIMIT 100",
      "SELECT alert_id FROM alerts WHERE status IN ('TRIGGERED', 'CANCELLED', 'EXPIRED') AND updated_at < ? LIMIT 500",
  })
  void aHotQueryUsesAnIndexNotAScan(String sql) throws Exception {
    List<String> plan = new ArrayList<>();
    try (Connection c = SqliteConnections.reader(config.database()).getConnection();
         PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
      int params = sql.length() - sql.replace("?", "").length();
      for (int i = 1; i <= params; i++) {
        ps.setString(i, "x");
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          plan.add(rs.getString("detail"));
        }
      }
    }
    String text = String.join(" | ", plan);
    assertTrue(text.contains("USING INDEX") || text.contains("USING COVERING INDEX") || text.contains("USING PRIMARY KEY")
        || text.contains("USING INTEGER PRIMARY KEY"), sql + " -> " + text);
    assertFalse(plan.stream().anyMatch(step -> step.startsWith("SCAN ") && !step.contains("USING")), sql + " -> " + text);
  }
}
