package io.tradestore.support;

import io.vertx.core.json.JsonObject;
import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A plain JDBC view of the engine's database file, opened per call, so tests check what was really committed
 * (not what the engine's own connections say). Writes here are for fault injection only (DDL while idle).
 */
public final class Db {
  private final Path path;
  private final boolean readOnly;

  public Db(Path path) {
    this(path, false);
  }

  private Db(Path path, boolean readOnly) {
    this.path = path;
    this.readOnly = readOnly;
  }

  /**
   * The file opened read-only (SQLITE_OPEN_READONLY): a verifier that cannot change what it checks, safe beside a
   * running engine (WAL readers never block its writer).
   */
  public static Db readOnly(Path path) {
    return new Db(path, true);
  }

  /**
   * The engine's database, with an audit of outbox inserts installed: the outbox dispatcher may claim and publish
   * a row a moment after its commit, so what the domain transaction wrote is read from {@code outbox_audit}, a
   * copy taken by a trigger inside that same transaction (and rolled back with it).
   */
  public static Db of(RunningEngine running) {
    Db db = new Db(running.config.database().path());
    db.execute("CREATE TABLE IF NOT EXISTS outbox_audit (seq INTEGER PRIMARY KEY, event_type TEXT, aggregate_type TEXT, "
        + "aggregate_id TEXT, payload TEXT, status TEXT, created_at INTEGER)");
    db.execute("CREATE TRIGGER IF NOT EXISTS outbox_audit_insert AFTER INSERT ON outbox BEGIN "
        + "INSERT INTO outbox_audit VALUES (NEW.seq, NEW.event_type, NEW.aggregate_type, NEW.aggregate_id, NEW.payload, "
        + "NEW.status, NEW.created_at); END");
    return db;
  }

  private Connection open() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(readOnly);
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + path.toAbsolutePath(), config.toProperties());
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 5000");
    }
    return c;
  }

  public List<Map<String, Object>> rows(String sql, Object... args) {
    try (Connection c = open(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      List<Map<String, Object>> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData meta = rs.getMetaData();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int col = 1; col <= meta.getColumnCount(); col++) {
            row.put(meta.getColumnLabel(col), rs.getObject(col));
          }
          out.add(row);
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  public long count(String table) {
    return ((Number) rows("SELECT count(*) AS n FROM " + table).get(0).get("n")).longValue();
  }

  public long count(String sqlFromWhere, Object... args) {
    return ((Number) rows("SELECT count(*) AS n FROM " + sqlFromWhere, args).get(0).get("n")).longValue();
  }

  /** Every row of the table in a stable order, for before/after comparisons. */
  public List<Map<String, Object>> snapshot(String table, String orderBy) {
    return rows("SELECT * FROM " + table + " ORDER BY " + orderBy);
  }

  /** Row counts of every trading table. */
  public Map<String, Long> counts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String table : List.of("quotes", "orders", "fills", "positions", "balances", "outbox")) {
      counts.put(table, count(table));
    }
    return counts;
  }

  /** The outbox rows of one aggregate as their transaction wrote them (status included), oldest first. */
  public List<Map<String, Object>> outboxOf(String aggregateId) {
    return rows("SELECT * FROM outbox_audit WHERE aggregate_id = ? ORDER BY seq", aggregateId);
  }

  /**
   * The payload of the one outbox row of {@code aggregateId}, after checking that it is a still pending
   * {@code eventType} of an {@code aggregateType}: what one command that changed one thing must have written.
   */
  public JsonObject onlyPendingEvent(String aggregateId, String aggregateType, String eventType) {
    List<Map<String, Object>> events = outboxOf(aggregateId);
    assertEquals(1, events.size(), () -> "outbox rows of " + aggregateId + ": " + events);
    Map<String, Object> event = events.get(0);
    assertEquals(eventType, event.get("event_type"));
    assertEquals(aggregateType, event.get("aggregate_type"));
    assertEquals("PENDING", event.get("status"));
    return new JsonObject((String) event.get("payload"));
  }

  /** The outbox as the domain wrote it, without the dispatcher's delivery bookkeeping (status, attempts...). */
  public List<Map<String, Object>> outboxContent() {
    return rows("SELECT seq, event_id, aggregate_type, aggregate_id, event_type, payload, headers, created_at FROM outbox ORDER BY seq");
  }

  public void execute(String sql) {
    try (Connection c = open(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }
}
