package io.tradestore.quote;

import io.tradestore.domain.Decimals;
import io.tradestore.domain.quote.Quote.QuoteStatus;
import io.tradestore.domain.quote.Quote;
import io.tradestore.store.Columns;
import io.tradestore.store.JdbcSession;
import io.tradestore.store.Page;
import io.tradestore.store.Rows;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** The quotes table. Reads take any client (a reader, or the writer's transaction); writes take the transaction. */
public final class QuoteStore {
  static final String COLUMNS = """
      quote_id, symbol, bid_price, bid_quantity, ask_price, ask_quantity, spread_bps, source_symbol,
      source_bid_price, source_ask_price, status, expires_at, used_by_order_id, created_at, updated_at""";

  private static final String FIND = "SELECT " + COLUMNS + " FROM quotes WHERE quote_id = ?";

  private static final String INSERT = "INSERT INTO quotes (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final String UPDATE_STATUS = """
      UPDATE quotes SET status = ?, used_by_order_id = ?, updated_at = ? WHERE quote_id = ?""";

  private static final String ACTIVE = "SELECT rowid AS row_id, " + COLUMNS + """
       FROM quotes
      WHERE status = 'ACTIVE' AND (expires_at IS NULL OR expires_at > ?)
        AND (created_at < ? OR (created_at = ? AND rowid < ?))
      ORDER BY created_at DESC, rowid DESC
      LIMIT ?""";

  private static final String ACTIVE_OF_SYMBOL = "SELECT rowid AS row_id, " + COLUMNS + """
       FROM quotes
      WHERE symbol = ? AND status = 'ACTIVE' AND (expires_at IS NULL OR expires_at > ?)
        AND (created_at < ? OR (created_at = ? AND rowid < ?))
      ORDER BY created_at DESC, rowid DESC
      LIMIT ?""";

  private QuoteStore() { }

  public static Future<Quote> find(SqlClient client, String quoteId) {
    return client.preparedQuery(FIND).execute(Tuple.of(quoteId)).map(set -> Rows.first(set, QuoteStore::from));
  }

  public static void insertAll(JdbcSession tx, Collection<Quote> quotes) throws SQLException {
    tx.batch(INSERT, quotes.stream().map(QuoteStore::insertRow).toList());
  }

  private static Tuple insertRow(Quote q) {
    return Tuple.tuple()
        .addString(q.quoteId()).addString(q.symbol())
        .addString(Decimals.format(q.bidPrice())).addString(Decimals.format(q.bidQuantity()))
        .addString(Decimals.format(q.askPrice())).addString(Decimals.format(q.askQuantity()))
        .addString(Decimals.format(q.spreadBps())).addString(q.sourceSymbol())
        .addString(Decimals.format(q.sourceBidPrice())).addString(Decimals.format(q.sourceAskPrice()))
        .addString(q.status().name()).addLong(q.expiresAt()).addString(q.usedByOrderId())
        .addLong(q.createdAt()).addLong(q.updatedAt());
  }

  /** The quotes with these ids that exist, by id: a primary-key lookup each. */
  public static Map<String, Quote> findAll(JdbcSession tx, Collection<String> quoteIds) throws SQLException {
    Map<String, Quote> found = new HashMap<>();
    tx.lookUpEach(FIND, quoteIds, QuoteStore::from).forEach(q -> found.put(q.quoteId(), q));
    return found;
  }

  public static void updateStatusAll(JdbcSession tx, Collection<Quote> quotes) throws SQLException {
    tx.batch(UPDATE_STATUS, quotes.stream()
        .map(q -> Tuple.of(q.status().name(), q.usedByOrderId(), q.updatedAt(), q.quoteId())).toList());
  }

  public static Future<Void> updateStatus(SqlClient tx, Quote q) {
    return tx.preparedQuery(UPDATE_STATUS)
        .execute(Tuple.of(q.status().name(), q.usedByOrderId(), q.updatedAt(), q.quoteId())).mapEmpty();
  }

  /**
   * A page of the ACTIVE, unexpired quotes, newest first, optionally of one symbol, from before
   * ({@code beforeCreatedAt}, {@code beforeRowid}): the cursor {@code createdAt:rowid} of the page before, or
   * {@link Long#MAX_VALUE} twice for the first page.
   */
  public static Future<Page<Quote>> active(SqlClient client, String symbol, long now, long beforeCreatedAt,
                                           long beforeRowid, int limit) {
    Future<RowSet<Row>> rows = symbol == null
        ? client.preparedQuery(ACTIVE).execute(Tuple.of(now, beforeCreatedAt, beforeCreatedAt, beforeRowid, limit + 1))
        : client.preparedQuery(ACTIVE_OF_SYMBOL)
            .execute(Tuple.of(symbol, now, beforeCreatedAt, beforeCreatedAt, beforeRowid, limit + 1));
    return rows.map(set -> Page.of(set, limit, QuoteStore::from,
        row -> row.getLong("created_at") + ":" + row.getLong("row_id")));
  }

  static Quote from(Row row) {
    return from(Columns.of(row));
  }

  static Quote from(Columns r) {
    return new Quote(
        r.text("quote_id"), r.text("symbol"),
        r.decimal("bid_price"), r.decimal("bid_quantity"), r.decimal("ask_price"), r.decimal("ask_quantity"),
        r.decimal("spread_bps"), r.text("source_symbol"), r.decimal("source_bid_price"), r.decimal("source_ask_price"),
        QuoteStatus.valueOf(r.text("status")), r.integer("expires_at"), r.text("used_by_order_id"),
        r.integer("created_at"), r.integer("updated_at"));
  }
}
