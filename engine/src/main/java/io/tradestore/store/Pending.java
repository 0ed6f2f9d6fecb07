package io.tradestore.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/** A queued write, its outcome inside the current transaction, and where to answer it. */
final class Pending<T> {
  final Write<T> write;
  private final Context caller;
  final Promise<T> promise = Promise.promise();
  private T result;
  /** Set when the command was refused or failed inside a transaction that still commits. */
  Throwable failed;

  Pending(Write<T> write, Context caller) {
    this.write = write;
    this.caller = caller;
  }

  boolean outsideTransaction() {
    return write instanceof Write.OutsideTransaction<T>;
  }

  /**
   * Runs the work on its own: SQL on the connection, JDBC work in one blocking task. A {@link Write.Batched} command
   * is never run this way: its processor runs it with the others of its run.
   */
  Future<Void> run(WriterConnection connection) {
    Future<T> outcome;
    try {
      outcome = write instanceof Write.Jdbc<T> jdbc
          ? connection.blocking(() -> jdbc.work().execute(connection.jdbc()))
          : command().execute(connection.sql());
      if (outcome == null) {
        outcome = Future.failedFuture(new IllegalStateException("write command returned no future"));
      }
    } catch (Throwable e) { // a command must never leave the transaction open, whatever it throws
      outcome = Future.failedFuture(e);
    }
    return outcome.andThen(r -> {
      if (r.succeeded()) {
        result = r.result();
      }
    }).mapEmpty();
  }

  private Write.WriteCommand<T> command() {
    if (write instanceof Write.Sql<T> sql) {
      return sql.command();
    }
    if (write instanceof Write.RefusingBeforeWriting<T> refusing) {
      return refusing.command();
    }
    if (write instanceof Write.OutsideTransaction<T> outside) {
      return outside.command();
    }
    throw new IllegalStateException(write.getClass().getSimpleName() + " is not run on its own");
  }

  void reset() {
    result = null;
    failed = null;
  }

  @SuppressWarnings("unchecked")
  void setResult(Object value) {
    result = (T) value;
  }

  /** After the commit: the result, or the refusal it met inside the committed transaction. */
  void settle(WriteFailures failures) {
    if (failed != null) {
      fail(failures.answerFor(failed));
    } else {
      answer(() -> promise.tryComplete(result));
    }
  }

  void fail(Throwable error) {
    answer(() -> promise.tryFail(error));
  }

  private void answer(Runnable completion) {
    if (caller != null && caller != Vertx.currentContext()) {
      caller.runOnContext(v -> completion.run());
    } else {
      completion.run();
    }
  }
}
