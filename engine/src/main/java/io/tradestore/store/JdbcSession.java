package io.tradestore.store;

import io.vertx.sqlclient.Tuple;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Plain JDBC on one connection, for the hot paths: statements are prepared once and kept, rows are bound and read
 * without vertx-jdbc-client's per-execution prepare and per-cell column descriptors, and a whole unit of work (a
 * trading-book run with its reads and statement batches, a claim, a query) costs one trip to a worker thread
 * instead of one per statement (docs/performance.md, "Writer").
 *
 * <p>Used by the writer on its own connection ({@link StoreWriter#submit}, {@link BatchProcessor}s) and by
 * the readers on read-only connections of their own ({@link StoreReaders#read}); a session is only ever used by one
 * unit of work at a time. The SQL is the tables' own (in their stores); callers must pass constant SQL texts (or a
 * small fixed set of them), since each distinct text keeps a prepared statement for the life of the connection.
 */
public final class JdbcSession implements AutoCloseable {
  private final Connection connection;
  private final Map<String, PreparedStatement> prepared = new HashMap<>();
  private Statement plain;

  JdbcSession(Connection connection) {
    this.connection = connection;
  }

  /** Runs {@code sql} once per row, as one JDBC batch. No rows, no statement. */
  public void batch(String sql, List<Tuple> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    PreparedStatement statement = statement(sql);
    for (Tuple row : rows) {
      bind(statement, row);
      statement.addBatch();
    }
    statement.executeBatch();
  }

  /** The rows of a query, mapped while the cursor is on them. */
  public <T> List<T> query(String sql, Tuple args, Function<Columns, T> mapper) throws SQLException {
    PreparedStatement statement = statement(sql);
    bind(statement, args);
    List<T> out = new ArrayList<>();
    try (ResultSet rs = statement.executeQuery()) {
      Columns columns = Columns.of(rs);
      while (rs.next()) {
        out.add(mapper.apply(columns));
      }
    }
    return out;
  }

  /** Hands each row of a query to {@code row} while the cursor is on it: constant memory however many rows. */
  public void forEach(String sql, Tuple args, Consumer<Columns> row) throws SQLException {
    PreparedStatement statement = statement(sql);
    bind(statement, args);
    try (ResultSet rs = statement.executeQuery()) {
      Columns columns = Columns.of(rs);
      while (rs.next()) {
        row.accept(columns);
      }
    }
  }

  /**
   * A point look-up per key ({@code sql} takes the key as its one parameter), gathered: the kept statement makes
   * each one a bind and a step, cheaper than building an {@code IN (...)} text per distinct number of keys.
   */
  public <T> List<T> lookUpEach(String sql, Collection<String> keys, Function<Columns, T> mapper) throws SQLException {
    List<T> found = new ArrayList<>();
    for (String key : keys) {
      found.addAll(query(sql, Tuple.of(key), mapper));
    }
    return found;
  }

  /** A statement without parameters or rows: transaction control, pragmas. */
  public void execute(String sql) throws SQLException {
    if (plain == null) {
      plain = connection.createStatement();
    }
    plain.execute(sql);
  }

  private PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement statement = prepared.get(sql);
    if (statement == null) {
      statement = connection.prepareStatement(sql);
      prepared.put(sql, statement);
    }
    return statement;
  }

  private static void bind(PreparedStatement statement, Tuple row) throws SQLException {
    for (int i = 0; i < row.size(); i++) {
      statement.setObject(i + 1, row.getValue(i));
    }
  }

  /** Closes the kept statements; the connection itself belongs to the writer's pool. */
  @Override
  public void close() {
    for (PreparedStatement statement : prepared.values()) {
      try {
        statement.close();
      } catch (SQLException ignored) {
        // closing the connection finalizes it anyway
      }
    }
    prepared.clear();
    if (plain != null) {
      try {
        plain.close();
      } catch (SQLException ignored) {
        // as above
      }
      plain = null;
    }
  }
}
