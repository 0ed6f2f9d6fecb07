package io.tradestore.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * What {@link StoreWriter#submit} is given: a piece of work and how the writer must run it. The kinds differ in what
 * a failure of the work undoes, and in what they cost inside a transaction shared with other commands; each
 * factory says which. Every kind is answered after the COMMIT that made it durable (or with its own failure).
 *
 * @param <T> what the work answers
 */
public sealed interface Write<T> {

  /**
   * SQL on the writer's connection that may fail after it wrote: among other commands it runs in a savepoint (two
   * more round trips), so its failure undoes its own writes only and the others commit.
   */
  static <T> Write<T> sql(WriteCommand<T> command) {
    return new Sql<>(command);
  }

  /**
   * SQL that refuses ({@link io.tradestore.CommandFailure}) only before its first write, so it needs no savepoint.
   * Any other failure fails the whole transaction, and the writer re-runs the batch one command per transaction.
   */
  static <T> Write<T> refusingBeforeWriting(WriteCommand<T> command) {
    return new RefusingBeforeWriting<>(command);
  }

  /**
   * Work on plain JDBC ({@link JdbcSession}): one trip to the writer's thread for the whole command, and none of its
   * own in a batch of such work. For work that never refuses: any failure fails the transaction.
   */
  static <T> Write<T> jdbc(JdbcWork<T> work) {
    return new Jdbc<>(work);
  }

  /**
   * A command for a {@link BatchProcessor}: consecutive commands for the same processor are decided together in
   * memory and written with one statement batch per kind.
   */
  static <C, T> Write<T> batched(BatchProcessor<C> processor, C command) {
    return new Batched<>(processor, command);
  }

  /**
   * Work that must not run inside a transaction (a WAL checkpoint, {@code PRAGMA optimize}): it runs alone on the
   * writer's connection between two transactions, so it never competes with the writer for the lock.
   */
  static <T> Write<T> outsideTransaction(WriteCommand<T> command) {
    return new OutsideTransaction<>(command);
  }

  /**
   * One unit of SQL work. It must only use the connection it is given, and it may be run a second time (when its
   * batch's transaction fails, each command is re-run on its own), so it must have no effect outside the database
   * until its future is answered.
   */
  @FunctionalInterface
  interface WriteCommand<T> {
    Future<T> execute(SqlConnection tx);
  }

  record Sql<T>(WriteCommand<T> command) implements Write<T> { }

  record RefusingBeforeWriting<T>(WriteCommand<T> command) implements Write<T> { }

  record Jdbc<T>(JdbcWork<T> work) implements Write<T> { }

  record Batched<C, T>(BatchProcessor<C> processor, C command) implements Write<T> { }

  record OutsideTransaction<T>(WriteCommand<T> command) implements Write<T> { }
}
