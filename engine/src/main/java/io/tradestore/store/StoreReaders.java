package io.tradestore.store;

import io.tradestore.CommandFailure;
import io.tradestore.ErrorCode;
import io.tradestore.config.EngineConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Read-only connections for queries. In WAL mode readers see the last committed state and never block the writer;
 * being read-only at the SQLite level, they can never compete with it for the write lock either.
 *
 * <p>Two ways in: {@link #pool()}, a vertx-jdbc-client pool, for the many occasional queries (lists, history,
 * operator commands, gauges); and {@link #read}, plain JDBC on connections of their own with statements kept, for
 * the hot queries (an order, a position, an order's fills, open orders of a symbol): vertx-jdbc-client prepares
 * every statement again and builds column descriptors for every row, which showed in their tails
 * (docs/performance.md).
 */
public final class StoreReaders {
  /** Reads waiting beyond this are answered 503 at once instead of queueing without limit, like the pool's. */
  private static final int MAX_WAITING = 1_000;

  private final Pool pool;
  private final WorkerExecutor executor;
  private final BlockingQueue<JdbcSession> sessions;
  private final List<Connection> connections;
  private final AtomicInteger waiting = new AtomicInteger();

  private StoreReaders(Pool pool, WorkerExecutor executor, List<Connection> connections) {
    this.pool = pool;
    this.executor = executor;
    this.connections = connections;
    this.sessions = new ArrayBlockingQueue<>(connections.size());
    connections.forEach(c -> sessions.add(new JdbcSession(c)));
  }

  public static StoreReaders open(Vertx vertx, EngineConfig.Database db, EngineConfig.Readers settings) {
    Pool pool = JDBCPool.pool(vertx, SqliteConnections.reader(db),
        // a bounded wait: beyond it a read is answered 503 at once instead of queueing without limit
        new PoolOptions().setMaxSize(settings.poolSize()).setMaxWaitQueueSize(MAX_WAITING).setName("sqlite-readers"));
    List<Connection> connections = new ArrayList<>();
    try {
      for (int i = 0; i < settings.poolSize(); i++) {
        connections.add(SqliteConnections.reader(db).getConnection());
      }
    } catch (SQLException e) {
      connections.forEach(StoreReaders::closeQuietly);
      pool.close();
      throw new IllegalStateException("cannot open the read-only connections: " + e.getMessage(), e);
    }
    // as many threads as connections: a thread that runs a read always finds a free connection
    WorkerExecutor executor = vertx.createSharedWorkerExecutor("sqlite-readers-jdbc", connections.size());
    return new StoreReaders(pool, executor, connections);
  }

  public Pool pool() {
    return pool;
  }

  /** Runs a query on a read-only connection of its own, on a worker thread; answered on the caller's context. */
  public <T> Future<T> read(JdbcWork<T> query) {
    if (waiting.incrementAndGet() > MAX_WAITING) {
      waiting.decrementAndGet();
      return Future.failedFuture(new CommandFailure(ErrorCode.OVERLOADED,
          "too many reads waiting (" + MAX_WAITING + "); retry later"));
    }
    return executor.executeBlocking(() -> {
      waiting.decrementAndGet();
      JdbcSession session = sessions.take();
      try {
        return query.execute(session);
      } finally {
        sessions.add(session);
      }
    }, false);
  }

  public Future<Void> close() {
    return executor.close().eventually(() -> {
      sessions.forEach(JdbcSession::close);
      connections.forEach(StoreReaders::closeQuietly);
      return pool.close();
    });
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing: nothing left to do with it
    }
  }
}
