package io.tradestore.store.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a schema is, independent of how its SQL was formatted: one entry per {@code sqlite_master} object
 * ({@code type name on tbl_name: sql}), the SQL re-rendered from its tokens (comments and layout dropped,
 * keywords and identifiers lower-case, quotes around identifiers removed, literals kept verbatim). SQLite's own
 * objects and the two history tables are left out, so a database and a scratch copy built from the files compare
 * equal exactly when they have the same tables, columns, constraints, indexes, triggers and views.
 */
public record SchemaFingerprint(List<String> entries) {
  private static final String OBJECTS = """
      SELECT type, name, tbl_name, sql FROM sqlite_master
       WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
         AND name NOT IN ('schema_migrations', 'schema_version')
         AND tbl_name NOT IN ('schema_migrations', 'schema_version')""";

  public SchemaFingerprint {
    entries = List.copyOf(entries);
  }

  public static SchemaFingerprint of(Connection c) throws SQLException {
    List<String> entries = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(OBJECTS)) {
      while (rs.next()) {
        String sql = rs.getString(4);
        entries.add(rs.getString(1) + " " + rs.getString(2).toLowerCase(java.util.Locale.ROOT) + " on "
            + rs.getString(3).toLowerCase(java.util.Locale.ROOT) + ": " + (sql == null ? "(automatic)" : normalize(sql)));
      }
    }
    entries.sort(null);
    return new SchemaFingerprint(entries);
  }

  static String normalize(String sql) {
    return SqlTokenizer.tokenize(sql, 1).stream().map(SqlToken::normalized).collect(Collectors.joining(" "));
  }

  /** The entries on each side only, for an operator to read; empty when equal. */
  public String differenceFrom(SchemaFingerprint expected, String thisSide, String expectedSide) {
    List<String> onlyHere = entries.stream().filter(e -> !expected.entries.contains(e)).toList();
    List<String> onlyThere = expected.entries.stream().filter(e -> !entries.contains(e)).toList();
    if (onlyHere.isEmpty() && onlyThere.isEmpty()) {
      return "";
    }
    return "only in " + thisSide + ": " + (onlyHere.isEmpty() ? "nothing" : String.join(" | ", onlyHere))
        + "; only in " + expectedSide + ": " + (onlyThere.isEmpty() ? "nothing" : String.join(" | ", onlyThere));
  }
}
