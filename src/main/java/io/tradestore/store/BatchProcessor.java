package io.tradestore.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

import java.util.List;

/**
 * Decides a run of queued commands in memory and writes them with one statement batch per kind, instead of a
 * savepoint and several round trips per command (the writer hands it every consecutive command addressed to it).
 * Its in-memory state must only change for good in {@link #committed()}: until then the transaction may still
 * fail, and the writer then calls {@link #rolledBack()} and re-runs each command on its own.
 *
 * @param <C> the commands it decides
 */
public interface BatchProcessor<C> {

  /**
   * Runs inside the writer's transaction, on the writer's context. Answers one outcome per command, in order:
   * its result, or the {@link Throwable} it is refused with (a refused command writes nothing). A failed future
   * fails the whole transaction.
   */
  Future<List<Object>> process(SqlConnection tx, List<C> commands);

  /** The transaction that held the last {@link #process} calls committed. */
  void committed();

  /** The transaction that held the last {@link #process} calls rolled back. */
  void rolledBack();
}
