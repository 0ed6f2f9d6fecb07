package io.tradestore.fill;

/**
 * The SQL of the {@code fills} table, as the engine runs it: {@code FillStore} executes these, and the benchmark's
 * raw-JDBC ceiling runs the same text, so that the ceiling and the engine cannot drift apart.
 */
public final class FillStatements {
  private FillStatements() { }

  public static final String COLUMNS = """
      id, fill_id, order_id, account, symbol, side, price, quantity, fee, fee_asset, liquidity, trade_id, late,
      executed_at, recorded_at""";

  public static final String INSERT = """
      INSERT INTO fills (fill_id, order_id, account, symbol, side, price, quantity, fee, fee_asset, liquidity,
                         trade_id, late, executed_at, recorded_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

  // a one-line text block keeps no leading space: "...recorded_atFROM fills" selected nothing from no table
  public static final String OF_ORDER = "SELECT " + COLUMNS + " FROM fills WHERE order_id = ? AND id > ? ORDER BY id LIMIT ?";

  public static final String OF_SYMBOL = inRange("symbol = ? AND ");

  /** Along the symbol's time index, keeping the account's rows: fills have no index by account (each index is one
   *  more write per fill, docs/performance.md). */
  public static final String OF_ACCOUNT_AND_SYMBOL = inRange("symbol = ? AND account = ? AND ");

  /** Fills executed in [?, ?) after the cursor (executedAt, id), oldest first, of those {@code filter} keeps. */
  private static String inRange(String filter) {
    return "SELECT " + COLUMNS + " FROM fills WHERE " + filter + """
        executed_at >= ? AND executed_at < ?
          AND (executed_at > ? OR (executed_at = ? AND id > ?))
        ORDER BY executed_at, id
        LIMIT ?""";
  }

  /** An account's fills executed before a time, in recording order (a statement's input). */
  public static final String OF_ACCOUNT_BEFORE =
      "SELECT " + COLUMNS + " FROM fills WHERE account = ? AND executed_at < ? ORDER BY id";

  public static final String FIND = "SELECT " + COLUMNS + " FROM fills WHERE fill_id = ?";
}
