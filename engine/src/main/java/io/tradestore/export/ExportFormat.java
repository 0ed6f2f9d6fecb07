package io.tradestore.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.commons.csv.CSVFormat;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/** How rows are written: CSV with a header (RFC 4180 quoting by commons-csv), or one JSON object per line. */
enum ExportFormat {
  CSV {
    @Override
    RowWriter open(Writer out, List<ExportColumn> columns) throws IOException {
      CSVFormat csv = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();
      // Each row is formatted into a builder and handed to the writer in one call: formatted straight onto a
      // Writer, commons-csv makes several small synchronized writes per field, which cost more than the formatting.
      StringBuilder line = new StringBuilder(256);
      RowWriter rows = new RowWriter() {
        @Override
        public void row(Object[] values) throws IOException {
          line.setLength(0);
          csv.printRecord(line, values); // null is written as an empty field
          out.append(line);
        }

        @Override
        public void close() throws IOException {
          out.flush();
        }
      };
      rows.row(columns.stream().map(ExportColumn::name).toArray());
      return rows;
    }
  },
  JSONL {
    @Override
    RowWriter open(Writer out, List<ExportColumn> columns) throws IOException {
      JsonGenerator json = new JsonFactory().createGenerator(out);
      json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
      return new RowWriter() {
        @Override
        public void row(Object[] values) throws IOException {
          json.writeStartObject();
          for (int i = 0; i < values.length; i++) {
            ExportColumn column = columns.get(i);
            Object value = values[i];
            json.writeFieldName(column.name());
            if (value == null) {
              json.writeNull();
            } else if (column.kind() == ExportColumn.Kind.JSON) {
              json.writeRawValue((String) value);
            } else if (value instanceof Long n) {
              json.writeNumber(n);
            } else if (value instanceof Boolean b) {
              json.writeBoolean(b);
            } else {
              json.writeString(value.toString());
            }
          }
          json.writeEndObject();
          json.writeRaw('\n');
        }

        @Override
        public void close() throws IOException {
          json.flush();
        }
      };
    }
  };

  /** Writes the header, if the format has one; each {@link RowWriter#row} then writes one row. */
  abstract RowWriter open(Writer out, List<ExportColumn> columns) throws IOException;

  static ExportFormat of(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--format must be csv or jsonl, not '" + name + "'");
    }
  }

  interface RowWriter {
    void row(Object[] values) throws IOException;

    void close() throws IOException;
  }
}
