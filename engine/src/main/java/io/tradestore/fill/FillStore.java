package io.tradestore.fill;

import io.tradestore.domain.Decimals;
import io.tradestore.domain.Side;
import io.tradestore.domain.fill.Fill.Liquidity;
import io.tradestore.domain.fill.Fill;
import io.tradestore.store.Columns;
import io.tradestore.store.JdbcSession;
import io.tradestore.store.Page;
import io.tradestore.store.StoreReaders;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The fills table: append-only history of executions. */
public final class FillStore {
  private FillStore() { }

  public static void insertAll(JdbcSession tx, Collection<Fill> fills) throws SQLException {
    tx.batch(FillStatements.INSERT, fills.stream().map(FillStore::insertRow).toList());
  }

  /** The fills with these ids that exist: a point lookup on the unique index each. */
  public static List<Fill> findAll(JdbcSession tx, Collection<String> fillIds) throws SQLException {
    return tx.lookUpEach(FillStatements.FIND, fillIds, FillStore::from);
  }

  private static Tuple insertRow(Fill f) {
    return Tuple.tuple()
        .addString(f.fillId()).addString(f.orderId()).addString(f.account()).addString(f.symbol())
        .addString(f.side().name()).addString(Decimals.format(f.price())).addString(Decimals.format(f.quantity()))
        .addString(Decimals.format(f.fee())).addString(f.feeAsset())
        .addString(f.liquidity() == null ? null : f.liquidity().name()).addString(f.tradeId())
        .addInteger(f.late() ? 1 : 0).addLong(f.executedAt()).addLong(f.recordedAt());
  }

  /** Fills of an order in the order they were recorded; the cursor is the last row id seen. */
  public static Future<Page<Fill>> ofOrder(StoreReaders readers, String orderId, long afterId, int limit) {
    return readers.read(s -> s.query(FillStatements.OF_ORDER, Tuple.of(orderId, afterId, limit + 1), r -> Map.entry(r.integer("id"), from(r))))
        .map(rows -> Page.of(rows, limit, Map.Entry::getValue, row -> String.valueOf(row.getKey())));
  }

  /**
   * Fills executed in [from, to), oldest first, of a symbol, optionally of one account (null: any). The cursor is
   * {@code executedAt:id} of the last fill seen, because fills can arrive out of execution order.
   */
  public static Future<Page<Fill>> inRange(SqlClient client, String symbol, String account, long from, long to,
                                           long afterExecutedAt, long afterId, int limit) {
    List<Object> args = new ArrayList<>();
    args.add(symbol);
    if (account != null) {
      args.add(account);
    }
    args.addAll(List.of(from, to, afterExecutedAt, afterExecutedAt, afterId, limit + 1));
    String sql = account == null ? FillStatements.OF_SYMBOL : FillStatements.OF_ACCOUNT_AND_SYMBOL;
    return client.preparedQuery(sql).execute(Tuple.wrap(args)).map(rows -> Page.of(rows, limit, FillStore::from,
        row -> row.getLong("executed_at") + ":" + row.getLong("id")));
  }

  /** Hands {@code fill} each fill of {@code account} executed before {@code before}, in recording order. */
  public static void forEachOfAccount(JdbcSession session, String account, long before, Consumer<Fill> fill)
      throws SQLException {
    session.forEach(FillStatements.OF_ACCOUNT_BEFORE, Tuple.of(account, before), row -> fill.accept(from(row)));
  }

  static Fill from(Row row) {
    return from(Columns.of(row));
  }

  static Fill from(Columns r) {
    String liquidity = r.text("liquidity");
    return new Fill(r.text("fill_id"), r.text("order_id"), r.text("account"), r.text("symbol"),
        Side.valueOf(r.text("side")), r.decimal("price"), r.decimal("quantity"),
        r.decimal("fee"), r.text("fee_asset"), liquidity == null ? null : Liquidity.valueOf(liquidity),
        r.text("trade_id"), r.integer("late") == 1, r.integer("executed_at"), r.integer("recorded_at"));
  }
}
