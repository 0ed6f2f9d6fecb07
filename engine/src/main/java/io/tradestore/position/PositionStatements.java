package io.tradestore.position;

/**
 * The SQL of the {@code positions} table, as the engine runs it: {@code PositionStore} executes these, and the benchmark's
 * raw-JDBC ceiling runs the same text, so that the ceiling and the engine cannot drift apart.
 */
public final class PositionStatements {
  private PositionStatements() { }

  public static final String COLUMNS = """
      account, symbol, quantity, average_price, cost_basis, realized_pnl, fees, fill_count, last_fill_id, updated_at""";

  public static final String UPSERT = """
      INSERT INTO positions (account, symbol, quantity, average_price, cost_basis, realized_pnl, fees, fill_count,
                             last_fill_id, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (account, symbol) DO UPDATE SET
        quantity = excluded.quantity, average_price = excluded.average_price, cost_basis = excluded.cost_basis,
        realized_pnl = excluded.realized_pnl, fees = excluded.fees, fill_count = excluded.fill_count,
        last_fill_id = excluded.last_fill_id, updated_at = excluded.updated_at""";

  public static final String FIND = "SELECT " + COLUMNS + " FROM positions WHERE account = ? AND symbol = ?";
}
