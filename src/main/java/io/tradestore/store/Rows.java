package io.tradestore.store;

import io.tradestore.Decimals;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

import java.math.BigDecimal;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/** Reading rows: decimals come back from their canonical text, exactly. */
public final class Rows {
  private Rows() { }

  public static BigDecimal decimal(Row row, String column) {
    String text = row.getString(column);
    return text == null ? null : Decimals.canonical(new BigDecimal(text));
  }

  public static <T> T first(RowSet<Row> rows, Function<Row, T> mapper) {
    var it = rows.iterator();
    return it.hasNext() ? mapper.apply(it.next()) : null;
  }

  /**
   * Runs {@code sqlPrefix + "(?, ?, ...)"} for the keys, in chunks that stay far below SQLite's limit on
   * parameters, and gathers the mapped rows. No keys, no query.
   */
  public static <T> Future<List<T>> in(SqlClient client, String sqlPrefix, Collection<String> keys, Function<Row, T> mapper) {
    List<String> all = new ArrayList<>(keys);
    List<T> out = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < all.size(); from += IN_CHUNK) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
      String sql = sqlPrefix + "(" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
      chain = chain.compose(v -> client.preparedQuery(sql).execute(Tuple.tuple(new ArrayList<>(chunk)))
          .map(rows -> {
            rows.forEach(r -> out.add(mapper.apply(r)));
            return null;
          }));
    }
    return chain.map(v -> out);
  }

  private static final int IN_CHUNK = 500;

  public static <T> List<T> all(RowSet<Row> rows, Function<Row, T> mapper) {
    List<T> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(mapper.apply(r)));
    return out;
  }
}
