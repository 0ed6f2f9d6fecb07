package io.tradestore.alert;

import io.tradestore.domain.Decimals;
import io.tradestore.domain.alert.Alert;
import io.tradestore.domain.alert.AlertFiring;
import io.tradestore.domain.quote.Quote.QuoteStatus;
import io.tradestore.store.Columns;
import io.tradestore.store.JdbcSession;
import io.vertx.sqlclient.Tuple;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The alerts and alert_firings tables, as the writer reads and writes them in its transaction. */
public final class AlertStore {
  static final String COLUMNS = """
      alert_id, account, symbol, kind, condition, threshold, repeat_mode, rearm_by, expires_at, note, status, armed,
      firings, last_fired_at, created_at, updated_at""";

  private static final String FIND = "SELECT " + COLUMNS + " FROM alerts WHERE alert_id = ?";

  private static final String ACTIVE = "SELECT " + COLUMNS + " FROM alerts WHERE status = 'ACTIVE'";

  private static final String INSERT = "INSERT INTO alerts (" + COLUMNS + ")"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final String UPDATE = """
      UPDATE alerts SET status = ?, armed = ?, firings = ?, last_fired_at = ?, updated_at = ? WHERE alert_id = ?""";

  private static final String INSERT_FIRING = """
      INSERT INTO alert_firings (alert_id, value, previous, cause, cause_id, fired_at) VALUES (?, ?, ?, ?, ?, ?)""";

  /**
   * The latest quote's prices of each symbol: what a crossing after a restart is measured from. Read along the
   * index on (symbol, status, created_at): the symbols one seek at a time, then the newest quote of each status,
   * so the cost follows the number of symbols, not of quotes (a plain GROUP BY reads every quote). Quotes of the
   * same millisecond rank by rowid, the order the writer decided them in, as the live index saw them.
   */
  static final String LAST_PRICES = """
      WITH RECURSIVE symbols(symbol) AS (
        SELECT min(symbol) FROM quotes
        UNION ALL
        SELECT (SELECT min(symbol) FROM quotes WHERE symbol > symbols.symbol) FROM symbols WHERE symbol IS NOT NULL),
      latest(symbol, quote) AS (
        SELECT symbol, (SELECT rowid FROM (%s) ORDER BY created_at DESC, rowid DESC LIMIT 1)
          FROM symbols WHERE symbol IS NOT NULL)
      SELECT q.symbol, q.bid_price, q.ask_price FROM latest JOIN quotes q ON q.rowid = latest.quote""".formatted(
      Arrays.stream(QuoteStatus.values())
          .map(status -> "SELECT * FROM (SELECT rowid, created_at FROM quotes WHERE symbol = symbols.symbol AND status = '"
              + status.name() + "' ORDER BY created_at DESC, rowid DESC LIMIT 1)")
          .collect(Collectors.joining(" UNION ALL ")));

  private AlertStore() { }

  /** The alerts with these ids that exist, of any status, by id. */
  public static Map<String, Alert> findAll(JdbcSession tx, Collection<String> alertIds) throws SQLException {
    Map<String, Alert> found = new HashMap<>();
    tx.lookUpEach(FIND, alertIds, AlertStore::from).forEach(a -> found.put(a.alertId(), a));
    return found;
  }

  public static List<Alert> active(JdbcSession tx) throws SQLException {
    return tx.query(ACTIVE, Tuple.tuple(), AlertStore::from);
  }

  /** The bid and ask of each symbol's latest quote. */
  public static void lastPrices(JdbcSession tx, LastPrice into) throws SQLException {
    tx.forEach(LAST_PRICES, Tuple.tuple(),
        row -> into.of(row.text("symbol"), row.decimal("bid_price"), row.decimal("ask_price")));
  }

  /** Receives a symbol's last quoted prices. */
  public interface LastPrice {
    void of(String symbol, BigDecimal bid, BigDecimal ask);
  }

  public static void insertAll(JdbcSession tx, Collection<Alert> alerts) throws SQLException {
    tx.batch(INSERT, alerts.stream().map(a -> Tuple.tuple()
        .addString(a.alertId()).addString(a.account()).addString(a.symbol()).addString(a.kind().name())
        .addString(a.condition().name()).addString(Decimals.format(a.threshold())).addString(a.repeat().name())
        .addString(Decimals.format(a.rearmBy())).addLong(a.expiresAt()).addString(a.note())
        .addString(a.status().name()).addLong(a.armed() ? 1L : 0L).addLong(a.firings()).addLong(a.lastFiredAt())
        .addLong(a.createdAt()).addLong(a.updatedAt())).toList());
  }

  public static void updateAll(JdbcSession tx, Collection<Alert> alerts) throws SQLException {
    tx.batch(UPDATE, alerts.stream().map(a -> Tuple.tuple()
        .addString(a.status().name()).addLong(a.armed() ? 1L : 0L).addLong(a.firings()).addLong(a.lastFiredAt())
        .addLong(a.updatedAt()).addString(a.alertId())).toList());
  }

  public static void insertFirings(JdbcSession tx, Collection<AlertFiring> firings) throws SQLException {
    tx.batch(INSERT_FIRING, firings.stream().map(f -> Tuple.tuple()
        .addString(f.alert().alertId()).addString(Decimals.format(f.value())).addString(Decimals.format(f.previous()))
        .addString(f.cause().name()).addString(f.causeId()).addLong(f.at())).toList());
  }

  static Alert from(Columns r) {
    return new Alert(r.text("alert_id"), r.text("account"), r.text("symbol"), Alert.Kind.valueOf(r.text("kind")),
        Alert.Condition.valueOf(r.text("condition")), r.decimal("threshold"),
        Alert.Repeat.valueOf(r.text("repeat_mode")), r.decimal("rearm_by"), r.integer("expires_at"), r.text("note"),
        Alert.Status.valueOf(r.text("status")), r.integer("armed") == 1L, r.integer("firings"),
        r.integer("last_fired_at"), r.integer("created_at"), r.integer("updated_at"));
  }
}
