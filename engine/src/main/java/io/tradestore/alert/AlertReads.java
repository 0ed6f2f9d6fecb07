package io.tradestore.alert;

import io.tradestore.Times;
import io.tradestore.domain.alert.Alert;
import io.tradestore.store.Columns;
import io.tradestore.store.Page;
import io.tradestore.store.StoreReaders;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The alerts and their firings as the readers serve them (read-only connections; the writer is never held up). */
final class AlertReads {
  private static final String FIND = "SELECT " + AlertStore.COLUMNS + " FROM alerts WHERE alert_id = ?";

  private static final String FIRINGS = """
      SELECT id, value, previous, cause, cause_id, fired_at FROM alert_firings
       WHERE alert_id = ? AND id > ? ORDER BY id LIMIT ?""";

  private AlertReads() { }

  static Future<Alert> find(StoreReaders readers, String alertId) {
    return readers.read(s -> s.query(FIND, Tuple.of(alertId), AlertStore::from))
        .map(rows -> rows.isEmpty() ? null : rows.get(0));
  }

  /**
   * Alerts newest first, by any of account, symbol and status as of {@code now} (an ACTIVE alert past its expiry is
   * EXPIRED, as its rendering says, before the timer has marked it), one page after the cursor.
   */
  static Future<Page<Alert>> list(StoreReaders readers, AlertRequests.AlertQuery query, long now) {
    List<String> where = new ArrayList<>();
    Tuple args = Tuple.tuple();
    if (query.account() != null) {
      where.add("account = ?");
      args.addString(query.account());
    }
    if (query.symbol() != null) {
      where.add("symbol = ?");
      args.addString(query.symbol());
    }
    if (query.status() == Alert.Status.ACTIVE) {
      where.add("status = 'ACTIVE' AND (expires_at IS NULL OR expires_at > ?)");
      args.addLong(now);
    } else if (query.status() == Alert.Status.EXPIRED) {
      where.add("(status = 'EXPIRED' OR (status = 'ACTIVE' AND expires_at <= ?))");
      args.addLong(now);
    } else if (query.status() != null) {
      where.add("status = ?");
      args.addString(query.status().name());
    }
    if (query.cursor() != null) {
      where.add("id < ?");
      args.addLong(query.cursor());
    }
    args.addInteger(query.limit() + 1);
    String sql = "SELECT id, " + AlertStore.COLUMNS + " FROM alerts"
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + " ORDER BY id DESC LIMIT ?";
    // at most 32 distinct texts (which filters are given), so the sessions keep a statement for each
    return readers.read(s -> s.query(sql, args, r -> Map.entry(r.integer("id"), AlertStore.from(r))))
        .map(rows -> Page.of(rows, query.limit(), Map.Entry::getValue, row -> String.valueOf(row.getKey())));
  }

  /** An alert's firings, oldest first, one page after the cursor (a firing's id). */
  static Future<Page<JsonObject>> firings(StoreReaders readers, String alertId, Long cursor, int limit) {
    return readers.read(s -> s.query(FIRINGS, Tuple.of(alertId, cursor == null ? 0L : cursor, limit + 1),
            r -> Map.entry(r.integer("id"), firing(r))))
        .map(rows -> Page.of(rows, limit, Map.Entry::getValue, row -> String.valueOf(row.getKey())));
  }

  private static JsonObject firing(Columns r) {
    return new JsonObject()
        .put("value", r.text("value"))
        .put("previous", r.text("previous"))
        .put("cause", r.text("cause").toLowerCase(Locale.ROOT))
        .put("causeId", r.text("cause_id"))
        .put("firedAt", Times.iso(r.integer("fired_at")));
  }
}
