package io.tradestore.importer;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The rows of an import file, read one at a time (constant memory): CSV with a header line (RFC 4180, as export
 * writes it, by commons-csv) or JSON lines (one object per line). A JSON line that does not parse is a row of its
 * own with no fields and the parse error, so that it is rejected with its line number like any bad row.
 */
final class ImportReader implements Iterator<ImportRow>, Closeable {
  /** The field a JSON line that cannot be parsed carries its error in. */
  static final String UNREADABLE = "\u0000unreadable";

  private final CountingStream bytes;
  private final long size;
  private final Iterator<ImportRow> rows;
  private final Closeable source;
  private final List<String> columns;

  private ImportReader(CountingStream bytes, long size, Iterator<ImportRow> rows, Closeable source,
                       List<String> columns) {
    this.bytes = bytes;
    this.size = size;
    this.rows = rows;
    this.source = source;
    this.columns = columns;
  }

  static ImportReader open(Path file, String format) throws IOException {
    long size = Files.size(file);
    CountingStream bytes = new CountingStream(Files.newInputStream(file));
    BufferedReader text = new BufferedReader(new InputStreamReader(bytes, StandardCharsets.UTF_8), 1 << 16);
    switch (format) {
      case "csv" -> {
        CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setTrim(false)
            .setIgnoreEmptyLines(true).get().parse(text);
        Iterator<CSVRecord> records = parser.iterator();
        long[] lastLine = {1}; // the header's
        Iterator<ImportRow> rows = new Iterator<>() {
          @Override
          public boolean hasNext() {
            return records.hasNext();
          }

          @Override
          public ImportRow next() {
            CSVRecord record = records.next();
            // the line the record starts on: a record's own number counts records, which a quoted line break in a
            // cell sets apart from the file's lines
            long first = lastLine[0] + 1;
            lastLine[0] = parser.getCurrentLineNumber();
            return new ImportRow(first, record.toMap());
          }
        };
        return new ImportReader(bytes, size, rows, parser, parser.getHeaderNames());
      }
      case "jsonl" -> {
        return new ImportReader(bytes, size, jsonLines(text), text, null);
      }
      default -> throw new IllegalArgumentException("--format must be csv or jsonl, not '" + format + "'");
    }
  }

  private static Iterator<ImportRow> jsonLines(BufferedReader text) {
    return new Iterator<>() {
      private long line;
      private String next = advance();

      private String advance() {
        try {
          String read;
          do {
            read = text.readLine();
            line++;
          } while (read != null && read.isBlank());
          return read;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public ImportRow next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        String current = next;
        long number = line;
        next = advance();
        Map<String, String> fields = new LinkedHashMap<>();
        try {
          new JsonObject(current).forEach(field -> {
            if (field.getValue() != null) {
              fields.put(field.getKey(), String.valueOf(field.getValue()));
            }
          });
        } catch (DecodeException | ClassCastException e) {
          fields.clear();
          fields.put(UNREADABLE, "not a JSON object: " + e.getMessage());
        }
        return new ImportRow(number, fields);
      }
    };
  }

  /** The CSV header's columns; null for JSON lines, whose rows name their own fields. */
  List<String> columns() {
    return columns;
  }

  /** How far through the file the reading is, from 0 to 1 (read ahead by a buffer, so a little early). */
  double fraction() {
    return size == 0 ? 1 : Math.min(1, (double) bytes.count / size);
  }

  @Override
  public boolean hasNext() {
    return rows.hasNext();
  }

  @Override
  public ImportRow next() {
    return rows.next();
  }

  @Override
  public void close() throws IOException {
    source.close();
  }

  private static final class CountingStream extends FilterInputStream {
    private volatile long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
