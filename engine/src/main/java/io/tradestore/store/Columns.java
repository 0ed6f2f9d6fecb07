package io.tradestore.store;

import io.tradestore.domain.Decimals;
import io.vertx.sqlclient.Row;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One row's columns by name, whether it came through vertx-jdbc-client (the readers) or straight from JDBC (the
 * hot paths, {@link JdbcSession}), so that each table maps its rows in one place.
 */
public interface Columns {
  String text(String column);

  /** An INTEGER column; null for NULL. */
  Long integer(String column);

  /** A decimal stored as canonical text, back exactly. */
  default BigDecimal decimal(String column) {
    String text = text(column);
    return text == null ? null : Decimals.canonical(new BigDecimal(text));
  }

  static Columns of(Row row) {
    return new Columns() {
      @Override
      public String text(String column) {
        return row.getString(column);
      }

      @Override
      public Long integer(String column) {
        return row.getLong(column);
      }
    };
  }

  /** The current row of {@code rs}; valid until the cursor moves. */
  static Columns of(ResultSet rs) {
    return new Columns() {
      @Override
      public String text(String column) {
        try {
          return rs.getString(column);
        } catch (SQLException e) {
          throw new IllegalStateException("reading column " + column, e);
        }
      }

      @Override
      public Long integer(String column) {
        try {
          long value = rs.getLong(column);
          return rs.wasNull() ? null : value;
        } catch (SQLException e) {
          throw new IllegalStateException("reading column " + column, e);
        }
      }
    };
  }
}
