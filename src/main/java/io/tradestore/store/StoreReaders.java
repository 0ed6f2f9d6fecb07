package io.tradestore.store;

import io.tradestore.config.EngineConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * A small pool of read-only connections for queries (lists, history, paging). In WAL mode readers see the
 * last committed state and never block the writer; being read-only at the SQLite level, they can never
 * compete with it for the write lock either.
 */
public final class StoreReaders {
  private final Pool pool;

  private StoreReaders(Pool pool) {
    this.pool = pool;
  }

  public static StoreReaders open(Vertx vertx, EngineConfig.Database db, EngineConfig.Readers settings) {
    Pool pool = JDBCPool.pool(vertx, SqliteConnections.reader(db),
        // a bounded wait: beyond it a read is answered 503 at once instead of queueing without limit
        new PoolOptions().setMaxSize(settings.poolSize()).setMaxWaitQueueSize(1_000).setName("sqlite-readers"));
    return new StoreReaders(pool);
  }

  public Pool pool() {
    return pool;
  }

  public Future<Void> close() {
    return pool.close();
  }
}
