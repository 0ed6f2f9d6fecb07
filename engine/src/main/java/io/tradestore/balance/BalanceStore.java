package io.tradestore.balance;

import io.tradestore.domain.Decimals;
import io.tradestore.domain.balance.Balance;
import io.tradestore.store.Page;
import io.tradestore.store.Rows;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.List;

/** The balances table: the latest snapshot per account and asset. */
public final class BalanceStore {
  private static final String COLUMNS = "account, asset, available, locked, total, as_of, updated_at";

  private static final String UPSERT = """
      INSERT INTO balances (account, asset, available, locked, total, as_of, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (account, asset) DO UPDATE SET
        available = excluded.available, locked = excluded.locked, total = excluded.total,
        as_of = excluded.as_of, updated_at = excluded.updated_at""";

  private static final String HISTORY = """
      INSERT INTO balance_updates (account, asset, available, locked, total, as_of, recorded_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)""";

  private static final String HISTORY_PAGE = """
      SELECT id, account, asset, available, locked, total, as_of, recorded_at AS updated_at
        FROM balance_updates
       WHERE account = ? AND asset = ? AND as_of >= ? AND as_of < ? AND (as_of > ? OR (as_of = ? AND id > ?))
       ORDER BY as_of, id
       LIMIT ?""";

  private BalanceStore() { }

  public static Future<Balance> find(SqlClient client, String account, String asset) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM balances WHERE account = ? AND asset = ?")
        .execute(Tuple.of(account, asset)).map(rows -> Rows.first(rows, BalanceStore::from));
  }

  public static Future<List<Balance>> ofAccount(SqlClient client, String account) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM balances WHERE account = ? ORDER BY asset")
        .execute(Tuple.of(account)).map(rows -> Rows.all(rows, BalanceStore::from));
  }

  /**
   * A page of the snapshots recorded for one account and asset with {@code asOf} in [from, to), oldest first,
   * after the cursor ({@code afterAsOf}, {@code afterId}) of the page before.
   */
  public static Future<Page<Balance>> history(SqlClient client, String account, String asset, long from, long to,
                                              long afterAsOf, long afterId, int limit) {
    return client.preparedQuery(HISTORY_PAGE)
        .execute(Tuple.of(account, asset, from, to, afterAsOf, afterAsOf, afterId, limit + 1))
        .map(rows -> Page.of(rows, limit, BalanceStore::from, row -> row.getLong("as_of") + ":" + row.getLong("id")));
  }

  /** Stores the snapshot as the latest, and appends it to the history an accountant exports. */
  public static Future<Void> record(SqlClient tx, Balance b) {
    Tuple row = Tuple.of(b.account(), b.asset(), Decimals.format(b.available()), Decimals.format(b.locked()),
        Decimals.format(b.total()), b.asOf(), b.updatedAt());
    return tx.preparedQuery(UPSERT).execute(row)
        .compose(v -> tx.preparedQuery(HISTORY).execute(row))
        .mapEmpty();
  }

  static Balance from(Row r) {
    return new Balance(r.getString("account"), r.getString("asset"), Rows.decimal(r, "available"),
        Rows.decimal(r, "locked"), r.getLong("as_of"), r.getLong("updated_at"));
  }
}
