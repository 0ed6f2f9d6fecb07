package io.tradestore.position;

import io.tradestore.Decimals;
import io.tradestore.store.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.math.BigDecimal;
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

  public static Future<Void> upsert(SqlClient tx, Position p, String lastFillId, long at) {
    Tuple row = Tuple.tuple()
        .addString(p.account()).addString(p.symbol())
        .addString(Decimals.format(p.quantity())).addString(Decimals.format(p.averagePrice()))
        .addString(Decimals.format(p.costBasis())).addString(Decimals.format(p.realizedPnl()))
        .addString(feesJson(p.fees()).encode()).addLong(p.fillCount()).addString(lastFillId).addLong(at);
    return tx.preparedQuery(UPSERT).execute(row).mapEmpty();
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
