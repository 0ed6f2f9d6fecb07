package io.tradestore.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tradestore.Times;

import java.io.IOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Streams one table's rows, as its documented columns, from a connection to a writer: a few batches of rows in
 * memory at a time ({@link RowsAhead}), however many the table holds. Give it a read-only connection: it never
 * takes the write lock, so a live engine's writer is never held up (WAL readers see the last commit before the
 * export began, all through it).
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
    try (RowsAhead ahead = new RowsAhead(c, query)) {
      Object[] values = new Object[columns.size()];
      for (byte[][] batch = ahead.next(); batch != null; batch = ahead.next()) {
        for (byte[] row : batch) {
          readRow(row, columns, values);
          writer.row(values);
          rows++;
        }
      }
    }
    writer.close();
    return rows;
  }

  /**
   * The query's one value per row, a JSON array of the columns in order (its UTF-8 bytes as stored: no String of
   * the whole row is made), into the values to write.
   */
  private static void readRow(byte[] row, List<ExportColumn> columns, Object[] values) throws IOException {
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
