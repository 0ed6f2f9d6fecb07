package io.tradestore.position;

import io.tradestore.Decimals;
import io.tradestore.store.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The positions table: one row per account and symbol, fees as a JSON object of exact decimal strings. */
public final class PositionStore {
  /** A stored position with the bookkeeping around it. */
  public record Stored(Position position, String lastFillId, long updatedAt) { }

  private static final String COLUMNS = """
      account, symbol, quantity, average_price, cost_basis, realized_pnl, fees, fill_count, last_fill_id, updated_at""";

  private static final String UPSERT = """
      INSERT INTO positions (account, symbol, quantity, average_price, cost_basis, realized_pnl, fees, fill_count,
                             last_fill_id, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (account, symbol) DO UPDATE SET
        quantity = excluded.quantity, average_price = excluded.average_price, cost_basis = excluded.cost_basis,
        realized_pnl = excluded.realized_pnl, fees = excluded.fees, fill_count = excluded.fill_count,
        last_fill_id = excluded.last_fill_id, updated_at = excluded.updated_at""";

  private PositionStore() { }

  public static Future<Stored> find(SqlClient client, String account, String symbol) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM positions WHERE account = ? AND symbol = ?")
        .execute(Tuple.of(account, symbol)).map(rows -> Rows.first(rows, PositionStore::from));
  }

  public static Future<List<Stored>> ofAccount(SqlClient client, String account) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM positions WHERE account = ? ORDER BY symbol")
        .execute(Tuple.of(account)).map(rows -> Rows.all(rows, PositionStore::from));
  }

  public static Future<Void> upsertAll(SqlClient tx, Collection<Stored> positions) {
    return positions.isEmpty() ? Future.succeededFuture()
        : tx.preparedQuery(UPSERT).executeBatch(positions.stream()
            .map(s -> upsertRow(s.position(), s.lastFillId(), s.updatedAt())).toList()).mapEmpty();
  }

  /** Which position: an account and a symbol. */
  public record Key(String account, String symbol) {
    public static Key of(Position p) {
      return new Key(p.account(), p.symbol());
    }
  }

  /** The positions with these keys that exist (a primary-key lookup per key, in one query per 250 keys). */
  public static Future<Map<Key, Stored>> findAll(SqlClient client, Collection<Key> keys) {
    List<Key> all = new ArrayList<>(keys);
    Map<Key, Stored> found = new HashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < all.size(); from += 250) {
      List<Key> chunk = all.subList(from, Math.min(all.size(), from + 250));
      Tuple args = Tuple.tuple();
      chunk.forEach(k -> args.addString(k.account()).addString(k.symbol()));
      String sql = "SELECT " + COLUMNS + " FROM positions WHERE (account, symbol) IN (VALUES "
          + String.join(", ", Collections.nCopies(chunk.size(), "(?, ?)")) + ")";
      chain = chain.compose(v -> client.preparedQuery(sql).execute(args).map(rows -> {
        rows.forEach(r -> {
          Stored stored = from(r);
          found.put(Key.of(stored.position()), stored);
        });
        return null;
      }));
    }
    return chain.map(v -> found);
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

  static Stored from(Row r) {
    Map<String, BigDecimal> fees = new TreeMap<>();
    JsonObject feesJson = new JsonObject(r.getString("fees"));
    feesJson.forEach(entry -> fees.put(entry.getKey(), new BigDecimal((String) entry.getValue())));
    Position position = new Position(r.getString("account"), r.getString("symbol"),
        Rows.decimal(r, "quantity"), Rows.decimal(r, "average_price"), Rows.decimal(r, "cost_basis"),
        Rows.decimal(r, "realized_pnl"), fees, r.getLong("fill_count"));
    return new Stored(position, r.getString("last_fill_id"), r.getLong("updated_at"));
  }
}
