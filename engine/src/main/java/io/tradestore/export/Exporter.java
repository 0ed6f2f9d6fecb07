package io.tradestore.export;

import io.tradestore.Times;

import java.io.IOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Streams one table's rows, as its documented columns, from a connection to a writer: one row in memory at a
 * time, however many the table holds. Give it a read-only connection: it never takes the write lock, so a live
 * engine's writer is never held up (WAL readers see the last commit before the export began, all through it).
 */
public final class Exporter {
  private Exporter() { }

  /** @return the rows written */
  public static long export(Connection c, String table, String format, ExportFilters filters, Writer out)
      throws SQLException, IOException {
    return export(c, ExportTable.ofCliName(table), ExportFormat.of(format), filters, out);
  }

  static long export(Connection c, ExportTable table, ExportFormat format, ExportFilters filters, Writer out)
      throws SQLException, IOException {
    ExportTable.ExportQuery query = table.query(filters);
    List<ExportColumn> columns = table.columns();
    ExportFormat.RowWriter writer = format.open(out, columns);
    long rows = 0;
    try (PreparedStatement ps = c.prepareStatement(query.sql())) {
      for (int i = 0; i < query.args().size(); i++) {
        ps.setObject(i + 1, query.args().get(i));
      }
      ps.setFetchSize(1_000);
      try (ResultSet rs = ps.executeQuery()) {
        Object[] values = new Object[columns.size()];
        while (rs.next()) {
          for (int i = 0; i < values.length; i++) {
            values[i] = value(rs, i + 1, columns.get(i).kind());
          }
          writer.row(values);
          rows++;
        }
      }
    }
    writer.close();
    return rows;
  }

  private static Object value(ResultSet rs, int index, ExportColumn.Kind kind) throws SQLException {
    return switch (kind) {
      case TEXT, DECIMAL, JSON -> rs.getString(index);
      case INTEGER -> {
        long n = rs.getLong(index);
        yield rs.wasNull() ? null : n;
      }
      case TIME -> {
        long millis = rs.getLong(index);
        yield rs.wasNull() ? null : Times.iso(millis);
      }
      case BOOLEAN -> rs.getLong(index) != 0;
    };
  }
}
