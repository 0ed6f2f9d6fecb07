package io.tradestore.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

import java.util.concurrent.Callable;

/**
 * The writer's one connection, seen two ways: as a vertx-sql-client {@link SqlConnection} for {@link Write.WriteCommand}s,
 * and as plain JDBC ({@link JdbcSession}) for transaction control and the hot path, always used from blocking tasks
 * on the writer's own context, so that no two uses overlap.
 */
record WriterConnection(Context context, SqlConnection sql, JdbcSession jdbc) {

  /** One statement on plain JDBC, in a blocking task of its own. */
  Future<Void> exec(String statement) {
    return context.executeBlocking(() -> {
      jdbc.execute(statement);
      return null;
    }, false);
  }

  /** Blocking work on the writer's thread, in order with everything else it runs. */
  <T> Future<T> blocking(Callable<T> work) {
    return context.executeBlocking(work, false);
  }
}
