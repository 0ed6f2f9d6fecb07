package io.tradestore.order;

import io.tradestore.domain.Decimals;
import io.tradestore.domain.Side;
import io.tradestore.domain.order.Order.OrderType;
import io.tradestore.domain.order.Order;
import io.tradestore.domain.order.OrderStatus;
import io.tradestore.store.Columns;
import io.tradestore.store.JdbcSession;
import io.tradestore.store.Page;
import io.tradestore.store.StoreReaders;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The orders table. Reads take any client (a reader, or the writer's transaction); writes take the transaction. */
public final class OrderStore {
  private OrderStore() { }

  public static Future<Order> find(StoreReaders readers, String orderId) {
    return readers.read(s -> first(s.query(OrderStatements.FIND, Tuple.of(orderId), OrderStore::from)));
  }

  public static Future<Order> findByExternalId(StoreReaders readers, String externalOrderId) {
    return readers.read(s -> first(s.query(OrderStatements.FIND_BY_EXTERNAL_ID, Tuple.of(externalOrderId), OrderStore::from)));
  }

  private static Order first(List<Order> found) {
    return found.isEmpty() ? null : found.get(0);
  }

  /** Many orders in one statement batch. */
  public static void insertAll(JdbcSession tx, Collection<Order> orders) throws SQLException {
    tx.batch(OrderStatements.INSERT, orders.stream().map(OrderStore::insertRow).toList());
  }

  public static void updateAll(JdbcSession tx, Collection<Order> orders) throws SQLException {
    tx.batch(OrderStatements.UPDATE, orders.stream().map(OrderStore::updateRow).toList());
  }

  /** The orders with these ids that exist, by id: a point lookup on the unique index each. */
  public static Map<String, Order> findAll(JdbcSession tx, Collection<String> orderIds) throws SQLException {
    Map<String, Order> found = new HashMap<>();
    tx.lookUpEach(OrderStatements.FIND, orderIds, OrderStore::from).forEach(o -> found.put(o.orderId(), o));
    return found;
  }

  /** For each of these venue ids that an order already has: venue id to order id. */
  public static Map<String, String> ownersOfExternalIds(JdbcSession tx, Collection<String> externalIds) throws SQLException {
    Map<String, String> owners = new HashMap<>();
    tx.lookUpEach(OrderStatements.OWNER_OF_EXTERNAL_ID, externalIds, r -> Map.entry(r.text("external_order_id"), r.text("order_id")))
        .forEach(owner -> owners.put(owner.getKey(), owner.getValue()));
    return owners;
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

  /**
   * Orders newest first, filtered by any of account, symbol, status and creation time, one page after the cursor.
   * The time range filters along the index the other filters choose (creation follows the id closely but not
   * strictly, the clock being free to step back), so a range far in the past walks the newer rows to reach it.
   */
  static Future<Page<Order>> list(StoreReaders readers, OrderRequests.OrderQuery query) {
    String account = query.account();
    String symbol = query.symbol();
    OrderStatus status = query.status();
    Long cursor = query.cursor();
    int limit = query.limit();
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
    if (query.from() != null) {
      where.add("created_at >= ?");
      args.addLong(query.from());
    }
    if (query.to() != null) {
      where.add("created_at < ?");
      args.addLong(query.to());
    }
    if (cursor != null) {
      where.add("id < ?");
      args.addLong(cursor);
    }
    args.addInteger(limit + 1);
    String sql = "SELECT " + OrderStatements.COLUMNS + " FROM orders"
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + " ORDER BY id DESC LIMIT ?";
    // at most 64 distinct texts (which filters are given), so the sessions keep a statement for each
    return readers.read(s -> s.query(sql, args, r -> Map.entry(r.integer("id"), from(r))))
        .map(rows -> Page.of(rows, limit, Map.Entry::getValue, row -> String.valueOf(row.getKey())));
  }

  static Order from(Columns r) {
    return new Order(
        r.text("order_id"), r.text("external_order_id"), r.text("account"), r.text("symbol"),
        Side.valueOf(r.text("side")), OrderType.valueOf(r.text("type")),
        r.decimal("quantity"), r.decimal("price"), r.text("quote_id"),
        OrderStatus.valueOf(r.text("status")),
        r.decimal("filled_quantity"), r.decimal("filled_notional"), r.text("reject_reason"),
        r.integer("created_at"), r.integer("updated_at"));
  }
}
