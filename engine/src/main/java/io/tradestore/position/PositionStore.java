package io.tradestore.position;

import io.tradestore.domain.Decimals;
import io.tradestore.domain.position.Position;
import io.tradestore.domain.position.PositionKey;
import io.tradestore.domain.position.StoredPosition;
import io.tradestore.store.Columns;
import io.tradestore.store.JdbcSession;
import io.tradestore.store.Rows;
import io.tradestore.store.StoreReaders;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The positions table: one row per account and symbol, fees as a JSON object of exact decimal strings. */
public final class PositionStore {
  private PositionStore() { }

  public static Future<StoredPosition> find(StoreReaders readers, String account, String symbol) {
    return readers.read(s -> {
      List<StoredPosition> found = s.query(PositionStatements.FIND, Tuple.of(account, symbol), PositionStore::from);
      return found.isEmpty() ? null : found.get(0);
    });
  }

  public static Future<List<StoredPosition>> ofAccount(SqlClient client, String account) {
    return client.preparedQuery("SELECT " + PositionStatements.COLUMNS + " FROM positions WHERE account = ? ORDER BY symbol")
        .execute(Tuple.of(account)).map(rows -> Rows.all(rows, PositionStore::from));
  }

  public static void upsertAll(JdbcSession tx, Collection<StoredPosition> positions) throws SQLException {
    tx.batch(PositionStatements.UPSERT, positions.stream().map(s -> upsertRow(s.position(), s.lastFillId(), s.updatedAt())).toList());
  }

  /** The positions with these keys that exist: a primary-key lookup each. */
  public static Map<PositionKey, StoredPosition> findAll(JdbcSession tx, Collection<PositionKey> keys) throws SQLException {
    Map<PositionKey, StoredPosition> found = new HashMap<>();
    for (PositionKey key : keys) {
      for (StoredPosition stored : tx.query(PositionStatements.FIND, Tuple.of(key.account(), key.symbol()), PositionStore::from)) {
        found.put(key, stored);
      }
    }
    return found;
  }

  private static Tuple upsertRow(Position p, String lastFillId, long at) {
    return Tuple.tuple()
        .addString(p.account()).addString(p.symbol())
        .addString(Decimals.format(p.quantity())).addString(Decimals.format(p.averagePrice()))
        .addString(Decimals.format(p.costBasis())).addString(Decimals.format(p.realizedPnl()))
        .addString(feesJson(p.fees()).encode()).addLong(p.fillCount()).addString(lastFillId).addLong(at);
  }

  public static JsonObject feesJson(Map<String, BigDecimal> fees) {
    JsonObject json = new JsonObject();
    fees.forEach((asset, amount) -> json.put(asset, Decimals.format(amount)));
    return json;
  }

  static StoredPosition from(Row row) {
    return from(Columns.of(row));
  }

  static StoredPosition from(Columns r) {
    Map<String, BigDecimal> fees = new TreeMap<>();
    JsonObject feesJson = new JsonObject(r.text("fees"));
    feesJson.forEach(entry -> fees.put(entry.getKey(), new BigDecimal((String) entry.getValue())));
    Position position = new Position(r.text("account"), r.text("symbol"),
        r.decimal("quantity"), r.decimal("average_price"), r.decimal("cost_basis"),
        r.decimal("realized_pnl"), fees, r.integer("fill_count"));
    return new StoredPosition(position, r.text("last_fill_id"), r.integer("updated_at"));
  }
}
