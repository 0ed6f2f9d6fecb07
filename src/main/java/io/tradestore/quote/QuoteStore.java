package io.tradestore.quote;

import io.tradestore.Decimals;
import io.tradestore.quote.Quote.QuoteStatus;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import io.tradestore.store.Rows;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The quotes table. Reads take any client (a reader, or the writer's transaction); writes take the transaction. */
public final class QuoteStore {
  static final String COLUMNS = """
      quote_id, symbol, bid_price, bid_quantity, ask_price, ask_quantity, spread_bps, source_symbol,
      source_bid_price, source_ask_price, status, expires_at, used_by_order_id, created_at, updated_at""";

  private static final String FIND = "SELECT " + COLUMNS + " FROM quotes WHERE quote_id = ?";

  private static final String INSERT = "INSERT INTO quotes (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final String UPDATE_STATUS = """
      UPDATE quotes SET status = ?, used_by_order_id = ?, updated_at = ? WHERE quote_id = ?""";

  private static final String ACTIVE = "SELECT " + COLUMNS + """
       FROM quotes
      WHERE status = 'ACTIVE' AND (expires_at IS NULL OR expires_at > ?)
      ORDER BY created_at DESC, rowid DESC
      LIMIT ?""";

  private static final String ACTIVE_OF_SYMBOL = "SELECT " + COLUMNS + """
       FROM quotes
      WHERE symbol = ? AND status = 'ACTIVE' AND (expires_at IS NULL OR expires_at > ?)
      ORDER BY created_at DESC, rowid DESC
      LIMIT ?""";

  private QuoteStore() { }

  public static Future<Quote> find(SqlClient client, String quoteId) {
    return client.preparedQuery(FIND).execute(Tuple.of(quoteId)).map(set -> Rows.first(set, QuoteStore::from));
  }

  public static Future<Void> insertAll(SqlClient tx, Collection<Quote> quotes) {
    return quotes.isEmpty() ? Future.succeededFuture()
        : tx.preparedQuery(INSERT).executeBatch(quotes.stream().map(QuoteStore::insertRow).toList()).mapEmpty();
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

  public static Future<Map<String, Quote>> findAll(SqlClient client, Collection<String> quoteIds) {
    return Rows.in(client, "SELECT " + COLUMNS + " FROM quotes WHERE quote_id IN ", quoteIds, QuoteStore::from)
        .map(found -> found.stream().collect(Collectors.toMap(Quote::quoteId, q -> q)));
  }

  public static Future<Void> updateStatusAll(SqlClient tx, Collection<Quote> quotes) {
    return quotes.isEmpty() ? Future.succeededFuture() : tx.preparedQuery(UPDATE_STATUS).executeBatch(quotes.stream()
        .map(q -> Tuple.of(q.status().name(), q.usedByOrderId(), q.updatedAt(), q.quoteId())).toList()).mapEmpty();
  }

  public static Future<Void> updateStatus(SqlClient tx, Quote q) {
    return tx.preparedQuery(UPDATE_STATUS)
        .execute(Tuple.of(q.status().name(), q.usedByOrderId(), q.updatedAt(), q.quoteId())).mapEmpty();
  }

  /** ACTIVE, unexpired quotes, newest first, optionally of one symbol. */
  public static Future<List<Quote>> active(SqlClient client, String symbol, long now, int limit) {
    Future<RowSet<Row>> rows = symbol == null
        ? client.preparedQuery(ACTIVE).execute(Tuple.of(now, limit))
        : client.preparedQuery(ACTIVE_OF_SYMBOL).execute(Tuple.of(symbol, now, limit));
    return rows.map(set -> Rows.all(set, QuoteStore::from));
  }

  static Quote from(Row r) {
    return new Quote(
        r.getString("quote_id"), r.getString("symbol"),
        Rows.decimal(r, "bid_price"), Rows.decimal(r, "bid_quantity"), Rows.decimal(r, "ask_price"), Rows.decimal(r, "ask_quantity"), Rows.decimal(r, "spread_bps"),
        r.getString("source_symbol"), Rows.decimal(r, "source_bid_price"), Rows.decimal(r, "source_ask_price"),
        QuoteStatus.valueOf(r.getString("status")), r.getLong("expires_at"), r.getString("used_by_order_id"),
        r.getLong("created_at"), r.getLong("updated_at"));
  }
}
