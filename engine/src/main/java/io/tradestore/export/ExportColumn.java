package io.tradestore.export;

/**
 * One column of an export: its documented name, the stored column it comes from, and how its text is written.
 * Decimals are written as stored, which is their canonical text: exact, no exponent, never through a double.
 */
record ExportColumn(String name, String sql, Kind kind) {
  enum Kind { TEXT, DECIMAL, INTEGER, TIME, BOOLEAN, JSON }

  static ExportColumn text(String name, String sql) {
    return new ExportColumn(name, sql, Kind.TEXT);
  }

  static ExportColumn decimal(String name, String sql) {
    return new ExportColumn(name, sql, Kind.DECIMAL);
  }

  static ExportColumn integer(String name, String sql) {
    return new ExportColumn(name, sql, Kind.INTEGER);
  }

  static ExportColumn time(String name, String sql) {
    return new ExportColumn(name, sql, Kind.TIME);
  }

  static ExportColumn bool(String name, String sql) {
    return new ExportColumn(name, sql, Kind.BOOLEAN);
  }

  static ExportColumn json(String name, String sql) {
    return new ExportColumn(name, sql, Kind.JSON);
  }
}
