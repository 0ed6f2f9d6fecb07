package io.tradestore.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
  private static final JsonFactory JSON = new JsonFactory();

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
          readRow(rs.getString(1), columns, values);
          writer.row(values);
          rows++;
        }
      }
    }
    writer.close();
    return rows;
  }

  /** The query's one value per row, a JSON array of the columns in order, into the values to write. */
  private static void readRow(String row, List<ExportColumn> columns, Object[] values) throws IOException {
    try (JsonParser array = JSON.createParser(row)) {
      array.nextToken();
      for (int i = 0; i < values.length; i++) {
        JsonToken token = array.nextToken();
        values[i] = token == JsonToken.VALUE_NULL ? null : value(array, columns.get(i).kind());
      }
    }
  }

  private static Object value(JsonParser array, ExportColumn.Kind kind) throws IOException {
    return switch (kind) {
      case TEXT, DECIMAL, JSON -> array.getText(); // the stored text exactly, never through a number
      case INTEGER -> array.getLongValue();
      case TIME -> Times.iso(array.getLongValue());
      case BOOLEAN -> array.getLongValue() != 0;
    };
  }
}
