package io.tradestore.importer;

import java.util.Map;

/** One record of an import file: its line number (from 1, the header being line 1 of a CSV) and its fields. */
public record ImportRow(long line, Map<String, String> fields) {
  /** The field's text, or null when the column is missing or the cell empty. */
  public String get(String name) {
    String value = fields.get(name);
    return value == null || value.isEmpty() ? null : value;
  }
}
