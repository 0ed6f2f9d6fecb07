package io.tradestore.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static io.tradestore.export.ExportColumn.bool;
import static io.tradestore.export.ExportColumn.decimal;
import static io.tradestore.export.ExportColumn.integer;
import static io.tradestore.export.ExportColumn.json;
import static io.tradestore.export.ExportColumn.text;
import static io.tradestore.export.ExportColumn.time;

/**
 * What can be exported, with its documented columns (docs/operations.md, "Export") and the filters it takes: the
 * stored column an {@code --account}, {@code --symbol} or {@code --from}/{@code --to} applies to, or none. Rows
 * come in a stable order (recording order, or by key), so two exports of an unchanged database are identical.
 */
enum ExportTable {
  FILLS("fills", "id", "account", "symbol", "executed_at",
      text("fillId", "fill_id"), text("orderId", "order_id"), text("account", "account"), text("symbol", "symbol"),
      text("side", "side"), decimal("price", "price"), decimal("quantity", "quantity"), decimal("fee", "fee"),
      text("feeAsset", "fee_asset"), text("liquidity", "liquidity"), text("tradeId", "trade_id"),
      bool("late", "late"), time("executedAt", "executed_at"), time("recordedAt", "recorded_at")),
  ORDERS("orders", "id", "account", "symbol", "created_at",
      text("orderId", "order_id"), text("externalOrderId", "external_order_id"), text("account", "account"),
      text("symbol", "symbol"), text("side", "side"), text("type", "type"), decimal("quantity", "quantity"),
      decimal("price", "price"), text("quoteId", "quote_id"), text("status", "status"),
      decimal("filledQuantity", "filled_quantity"), decimal("averagePrice", "average_price"),
      text("rejectReason", "reject_reason"), time("createdAt", "created_at"), time("updatedAt", "updated_at")),
  POSITIONS("positions", "account, symbol", "account", "symbol", null,
      text("account", "account"), text("symbol", "symbol"), decimal("quantity", "quantity"),
      decimal("averagePrice", "average_price"), decimal("realizedPnl", "realized_pnl"), json("fees", "fees"),
      integer("fillCount", "fill_count"), text("lastFillId", "last_fill_id"), time("updatedAt", "updated_at")),
  BALANCES("balances", "account, asset", "account", null, null,
      text("account", "account"), text("asset", "asset"), decimal("available", "available"),
      decimal("locked", "locked"), decimal("total", "total"), time("asOf", "as_of"), time("updatedAt", "updated_at")),
  BALANCE_HISTORY("balance_updates", "id", "account", null, "as_of",
      text("account", "account"), text("asset", "asset"), decimal("available", "available"),
      decimal("locked", "locked"), decimal("total", "total"), time("asOf", "as_of"),
      time("recordedAt", "recorded_at")),
  EVENTS("outbox", "seq", null, null, "created_at",
      integer("seq", "seq"), text("eventId", "event_id"), text("type", "event_type"),
      text("aggregateType", "aggregate_type"), text("aggregateId", "aggregate_id"), json("payload", "payload"),
      time("createdAt", "created_at"), text("status", "status"), time("publishedAt", "published_at"));

  private final String table;
  private final String orderBy;
  private final String accountColumn;
  private final String symbolColumn;
  private final String timeColumn;
  private final List<ExportColumn> columns;

  ExportTable(String table, String orderBy, String accountColumn, String symbolColumn, String timeColumn,
              ExportColumn... columns) {
    this.table = table;
    this.orderBy = orderBy;
    this.accountColumn = accountColumn;
    this.symbolColumn = symbolColumn;
    this.timeColumn = timeColumn;
    this.columns = List.of(columns);
  }

  /** The name on the command line: {@code fills}, {@code balance-history}, ... */
  String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static ExportTable ofCliName(String name) {
    return Arrays.stream(values()).filter(t -> t.cliName().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("nothing to export called '" + name + "'; one of "
            + String.join(", ", Arrays.stream(values()).map(ExportTable::cliName).toList())));
  }

  List<ExportColumn> columns() {
    return columns;
  }

  /** The query and its parameters for these filters; a filter this table has no column for is refused. */
  ExportQuery query(ExportFilters filters) {
    List<String> where = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    if (filters.account() != null) {
      where.add(column(accountColumn, "--account") + " = ?");
      args.add(filters.account());
    }
    if (filters.symbol() != null) {
      where.add(column(symbolColumn, "--symbol") + " = ?");
      args.add(filters.symbol());
    }
    if (filters.from() != null) {
      where.add(column(timeColumn, "--from") + " >= ?");
      args.add(filters.from());
    }
    if (filters.to() != null) {
      where.add(column(timeColumn, "--to") + " < ?");
      args.add(filters.to());
    }
    // One value per row, the row's columns as a JSON array built by SQLite: each value read through sqlite-jdbc
    // crosses JNI on its own, and in a large export those crossings cost more than everything else together.
    String select = "SELECT json_array(" + String.join(", ", columns.stream().map(ExportColumn::sql).toList())
        + ") FROM " + table
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + " ORDER BY " + orderBy;
    return new ExportQuery(select, args);
  }

  private String column(String column, String option) {
    if (column == null) {
      throw new IllegalArgumentException(option + " does not apply to " + cliName());
    }
    return column;
  }

  record ExportQuery(String sql, List<Object> args) { }
}
