package io.tradestore.alert;

import io.tradestore.config.EngineConfig;
import io.tradestore.store.SqliteConnections;
import io.tradestore.support.Db;
import io.tradestore.support.TestEngineConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The alert store's queries on a real, migrated database. */
class AlertStoreTest {
  @TempDir static Path dir;
  static EngineConfig config;

  @BeforeAll
  static void migrate() {
    config = TestEngineConfig.migrated(dir);
    Db db = new Db(config.database().path());
    // each symbol's latest quote has a different status, and a later row may carry an older created_at
    String[][] quotes = {
        {"a1", "BTCUSDT", "100", "101", "ACTIVE", "10"},
        {"a2", "BTCUSDT", "102", "103", "USED", "30"},
        {"a3", "BTCUSDT", "99", "100", "EXPIRED", "20"},
        {"b1", "ETHUSDT", "5.1", "5.2", "CANCELLED", "50"},
        {"b2", "ETHUSDT", "5.0", "5.3", "ACTIVE", "40"},
        {"c1", "SOLUSDT", "0.10", "0.30", "EXPIRED", "5"},
        // two of one millisecond and status: the one decided (inserted) last is the last price
        {"d1", "XRPUSDT", "9", "9.5", "ACTIVE", "7"},
        {"d2", "XRPUSDT", "11", "11.5", "ACTIVE", "7"},
    };
    for (String[] q : quotes) {
      db.execute("INSERT INTO quotes (quote_id, symbol, bid_price, bid_quantity, ask_price, ask_quantity, spread_bps,"
          + " status, created_at, updated_at) VALUES ('%s', '%s', '%s', '1', '%s', '1', '1', '%s', %s, %s)"
          .formatted(q[0], q[1], q[2], q[3], q[4], q[5], q[5]));
    }
  }

  @Test
  void theLastPricesAreThoseOfEachSymbolsNewestQuoteWhateverItsStatus() throws SQLException {
    Map<String, String> last = new TreeMap<>();
    try (Connection c = SqliteConnections.reader(config.database()).getConnection();
         Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(AlertStore.LAST_PRICES)) {
      while (rs.next()) {
        last.put(rs.getString("symbol"), rs.getString("bid_price") + "/" + rs.getString("ask_price"));
      }
    }
    assertEquals(Map.of("BTCUSDT", "102/103", "ETHUSDT", "5.1/5.2", "SOLUSDT", "0.10/0.30", "XRPUSDT", "11/11.5"),
        last);
  }

  @Test
  void theLastPricesAreFoundBySeeksNotByReadingEveryQuote() throws SQLException {
    List<String> plan = new ArrayList<>();
    try (Connection c = SqliteConnections.reader(config.database()).getConnection();
         Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("EXPLAIN QUERY PLAN " + AlertStore.LAST_PRICES)) {
      while (rs.next()) {
        plan.add(rs.getString("detail"));
      }
    }
    assertFalse(plan.stream().anyMatch(step -> step.startsWith("SCAN quotes") || step.startsWith("SCAN q ")
        || step.equals("SCAN q")), String.join(" | ", plan));
  }
}
