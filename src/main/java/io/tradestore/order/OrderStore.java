package io.tradestore.order;

import io.tradestore.Decimals;
import io.tradestore.order.Order.OrderType;
import io.tradestore.position.PositionLedger.Side;
import io.tradestore.store.Page;
import io.tradestore.store.Rows;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The orders table. Reads take any client (a reader, or the writer's transaction); writes take the transaction. */
public final class OrderStore {
  private static final String COLUMNS = """
      id, order_id, external_order_id, account, symbol, side, type, quantity, price, quote_id, status,
      filled_quantity, filled_notional, average_price, reject_reason, created_at, updated_at""";

  private static final String INSERT = """
      INSERT INTO orders (order_id, external_order_id, account, symbol, side, type, quantity, price, quote_id, status,
                          filled_quantity, filled_notional, average_price, reject_reason, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

  private static final String UPDATE = """
      UPDATE orders
         SET external_order_id = ?, status = ?, filled_quantity = ?, filled_notional = ?, average_price = ?,
             reject_reason = ?, updated_at = ?
       WHERE order_id = ?""";

  private OrderStore() { }

  public static Future<Order> find(SqlClient client, String orderId) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM orders WHERE order_id = ?")
        .execute(Tuple.of(orderId)).map(rows -> Rows.first(rows, OrderStore::from));
  }

  public static Future<Order> findByExternalId(SqlClient client, String externalOrderId) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM orders WHERE external_order_id = ?")
        .execute(Tuple.of(externalOrderId)).map(rows -> Rows.first(rows, OrderStore::from));
  }

  /** Many orders in one statement batch (one round trip to the database). */
  public static Future<Void> insertAll(SqlClient tx, Collection<Order> orders) {
    return orders.isEmpty() ? Future.succeededFuture()
        : tx.preparedQuery(INSERT).executeBatch(orders.stream().map(OrderStore::insertRow).toList()).mapEmpty();
  }

  public static Future<Void> updateAll(SqlClient tx, Collection<Order> orders) {
    return orders.isEmpty() ? Future.succeededFuture()
        : tx.preparedQuery(UPDATE).executeBatch(orders.stream().map(OrderStore::updateRow).toList()).mapEmpty();
  }

  /** The orders with these ids that exist, by id. */
  public static Future<Map<String, Order>> findAll(SqlClient client, Collection<String> orderIds) {
    return Rows.in(client, "SELECT " + COLUMNS + " FROM orders WHERE order_id IN ", orderIds, OrderStore::from)
        .map(found -> found.stream().collect(Collectors.toMap(Order::orderId, o -> o)));
  }

  /** For each of these venue ids that an order already has: venue id to order id. */
  public static Future<Map<String, String>> ownersOfExternalIds(SqlClient client, Collection<String> externalIds) {
    return Rows.in(client, "SELECT order_id, external_order_id FROM orders WHERE external_order_id IN ", externalIds,
            r -> Map.entry(r.getString("external_order_id"), r.getString("order_id")))
        .map(found -> found.stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
  }

  private static Tuple insertRow(Order o) {
    return Tuple.tuple()
        .addString(o.orderId()).addString(o.externalOrderId()).addString(o.account()).addString(o.symbol())
        .addString(o.side().name()).addString(o.type().name())
        .addString(Decimals.format(o.quantity())).addString(Decimals.format(o.price())).addString(o.quoteId())
        .addString(o.status().name())
        .addString(Decimals.format(o.filledQuantity())).addString(Decimals.format(o.filledNotional()))
        .addString(Decimals.format(o.averagePrice())).addString(o.rejectReason())
        .addLong(o.createdAt()).addLong(o.updatedAt());
  }

  private static Tuple updateRow(Order o) {
    return Tuple.tuple()
        .addString(o.externalOrderId()).addString(o.status().name())
        .addString(Decimals.format(o.filledQuantity())).addString(Decimals.format(o.filledNotional()))
        .addString(Decimals.format(o.averagePrice())).addString(o.rejectReason()).addLong(o.updatedAt())
        .addString(o.orderId());
  }

  /** Orders newest first, filtered by any of account, symbol and status, one page after {@code cursor}. */
  public static Future<Page<Order>> list(SqlClient client, String account, String symbol, OrderStatus status,
                                         Long cursor, int limit) {
    List<String> where = new ArrayList<>();
    Tuple args = Tuple.tuple();
    if (account != null) {
      where.add("account = ?");
      args.addString(account);
    }
    if (symbol != null) {
      where.add("symbol = ?");
      args.addString(symbol);
    }
    if (status != null) {
      where.add("status = ?");
      args.addString(status.name());
    }
    if (cursor != null) {
      where.add("id < ?");
      args.addLong(cursor);
    }
    args.addInteger(limit + 1);
    String sql = "SELECT " + COLUMNS + " FROM orders"
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + " ORDER BY id DESC LIMIT ?";
    return client.preparedQuery(sql).execute(args)
        .map(rows -> Page.of(rows, limit, OrderStore::from, row -> String.valueOf(row.getLong("id"))));
  }

  static Order from(Row r) {
    return new Order(
        r.getString("order_id"), r.getString("external_order_id"), r.getString("account"), r.getString("symbol"),
        Side.valueOf(r.getString("side")), OrderType.valueOf(r.getString("type")),
        Rows.decimal(r, "quantity"), Rows.decimal(r, "price"), r.getString("quote_id"),
        OrderStatus.valueOf(r.getString("status")),
        Rows.decimal(r, "filled_quantity"), Rows.decimal(r, "filled_notional"), r.getString("reject_reason"),
        r.getLong("created_at"), r.getLong("updated_at"));
  }
}
