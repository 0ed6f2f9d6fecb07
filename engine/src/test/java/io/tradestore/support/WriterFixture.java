package io.tradestore.support;

import io.tradestore.config.EngineConfig;
import io.tradestore.store.SqliteConnections;
import io.tradestore.store.Store;
import io.tradestore.store.Write;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A real store (its writer, readers and checkpointer) on a fresh database in a temp folder holding one table,
 * {@code t (id, v UNIQUE)}: for the tests of the writer itself, without the engine's schema.
 */
public final class WriterFixture implements AutoCloseable {
  public final Vertx vertx = Vertx.vertx();
  public final EngineConfig config;
  public final Store store;
  private boolean storeClosed;

  private WriterFixture(EngineConfig config) throws Exception {
    this.config = config;
    this.store = onContext(() -> Store.open(vertx, config));
  }

  /** @param settings configuration keys over the test defaults, e.g. {@code writer.busyRetries} */
  public static WriterFixture open(Path dir, Map<String, Object> settings) throws Exception {
    EngineConfig config = TestEngineConfig.in(dir, settings);
    try (Connection c = SqliteConnections.openDirect(config.database()); Statement st = c.createStatement()) {
      st.executeUpdate("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)");
    }
    return new WriterFixture(config);
  }

  /** Inserts {@code value} into {@code t}; a value already there fails on the UNIQUE constraint. */
  public static Write.WriteCommand<Void> insert(String value) {
    return tx -> tx.preparedQuery("INSERT INTO t (v) VALUES (?)").execute(Tuple.of(value)).mapEmpty();
  }

  /** What {@code t} holds as another connection reads it: committed values only, in insertion order. */
  public List<String> committedValues() throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + config.database().path());
         Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT v FROM t ORDER BY id")) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }

  public <T> T onContext(Supplier<Future<T>> action) throws Exception {
    return OnContext.await(vertx, action);
  }

  /** For a test that closed or stopped the store itself: {@link #close()} then only closes Vert.x. */
  public void storeClosedByTest() {
    storeClosed = true;
  }

  @Override
  public void close() {
    if (!storeClosed) {
      store.close().await();
    }
    vertx.close().await();
  }
}
