package io.tradestore.store;

import java.sql.SQLException;
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
   * Runs inside the writer's transaction, on a worker thread (it blocks on JDBC), never at the same time as any
   * other use of the writer or of this processor. Answers one outcome per command, in order: its result, or the
   * {@link Throwable} it is refused with (a refused command writes nothing). An exception fails the whole
   * transaction.
   */
  List<Object> process(JdbcSession tx, List<C> commands) throws SQLException;

  /** The transaction that held the last {@link #process} calls committed. Runs on the writer's context. */
  void committed();

  /** The transaction that held the last {@link #process} calls rolled back. Runs on the writer's context. */
  void rolledBack();
}
