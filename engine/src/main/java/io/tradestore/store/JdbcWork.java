package io.tradestore.store;

import java.sql.SQLException;

/**
 * Work on a plain JDBC session ({@link JdbcSession}), run on a worker thread: a writer command
 * ({@link StoreWriter#submit}, inside the writer's transaction, possibly run a second time when its batch's
 * transaction fails) or a read ({@link StoreReaders#read}).
 */
@FunctionalInterface
public interface JdbcWork<T> {
  T execute(JdbcSession session) throws SQLException;
}
