package io.tradestore.order;

/**
 * The SQL of the {@code orders} table, as the engine runs it: {@code OrderStore} executes these, and the benchmark's
 * raw-JDBC ceiling runs the same text, so that the ceiling and the engine cannot drift apart.
 */
public final class OrderStatements {
  private OrderStatements() { }

  public static final String COLUMNS = """
      id, order_id, external_order_id, account, symbol, side, type, quantity, price, quote_id, status,
      filled_quantity, filled_notional, average_price, reject_reason, created_at, updated_at""";

  public static final String INSERT = """
      INSERT INTO orders (order_id, external_order_id, account, symbol, side, type, quantity, price, quote_id, status,
                          filled_quantity, filled_notional, average_price, reject_reason, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

  public static final String UPDATE = """
      UPDATE orders
         SET external_order_id = ?, status = ?, filled_quantity = ?, filled_notional = ?, average_price = ?,
             reject_reason = ?, updated_at = ?
       WHERE order_id = ?""";

  public static final String FIND_BY_EXTERNAL_ID = "SELECT " + COLUMNS + " FROM orders WHERE external_order_id = ?";

  public static final String FIND = "SELECT " + COLUMNS + " FROM orders WHERE order_id = ?";

  public static final String OWNER_OF_EXTERNAL_ID = "SELECT external_order_id, order_id FROM orders WHERE external_order_id = ?";
}
