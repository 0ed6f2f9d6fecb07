package io.tradestore.store;

import io.tradestore.CommandFailure;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes one batch of commands as ONE transaction (group commit), each command still atomic on its own: SQL that
 * may fail after writing runs in a savepoint and is rolled back to it alone; a command that refuses before writing
 * needs none. If the transaction itself fails, the batch is re-run one command per transaction so that only the
 * culprit fails; a busy lock or a storage fault is not one command's doing and fails the batch as it is. Every
 * command of the batch is settled with its own outcome, after the COMMIT that made it durable.
 *
 * <p>A batch of plain-JDBC work only ({@link Write.Jdbc}, {@link Write.Batched}: the trading book's runs, the outbox's
 * marks) runs from {@code BEGIN IMMEDIATE} to {@code COMMIT} in one blocking task instead of one per statement.
 */
final class GroupCommit {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

  private final WriterConnection connection;
  private final WriteLock lock;
  private final WriteFailures failures;
  private final TransactionEvents events;
  private final DatabaseFile databaseFile;
  private final AtomicLong commits = new AtomicLong();

  GroupCommit(WriterConnection connection, WriteLock lock, WriteFailures failures, TransactionEvents events,
              DatabaseFile databaseFile) {
    this.connection = connection;
    this.lock = lock;
    this.failures = failures;
    this.events = events;
    this.databaseFile = databaseFile;
  }

  long commitCount() {
    return commits.get();
  }

  /** Work that runs outside any transaction, alone between two batches. Always succeeds: the command is settled. */
  Future<Void> runAlone(Pending<?> pending) {
    StorageFault gone = failures.databaseGone();
    if (gone != null) { // e.g. a checkpoint, which would copy the -wal into the deleted file
      pending.fail(gone.toFailure());
      return Future.succeededFuture();
    }
    return Future.<Void>succeededFuture().compose(v -> pending.run(connection)).transform(outcome -> {
      if (outcome.succeeded()) {
        pending.settle(failures);
      } else {
        failures.record(outcome.cause());
        pending.fail(failures.answerFor(outcome.cause()));
      }
      return Future.succeededFuture();
    });
  }

  /** Always succeeds: every pending command of the batch is settled with its own outcome. */
  Future<Void> write(List<Pending<?>> batch) {
    StorageFault gone = failures.databaseGone();
    if (gone != null) { // queued before the file was found gone
      batch.forEach(p -> p.fail(gone.toFailure()));
      return Future.succeededFuture();
    }
    Future<Void> written = batch.stream().allMatch(p -> p.write instanceof Write.Batched<?, ?> || p.write instanceof Write.Jdbc<?>)
        ? transactionOnWorker(batch)
        : transaction(batch, 0, System.nanoTime());
    return written.transform(outcome -> {
      if (outcome.succeeded()) {
        committed(batch);
        return Future.succeededFuture();
      }
      processors(batch).forEach(BatchProcessor::rolledBack);
      Throwable cause = outcome.cause();
      // a storage fault is not one command's doing: re-running each would fail each the same way, at the disk's cost
      boolean storage = failures.record(cause);
      if (batch.size() > 1 && !SqliteBusy.isBusy(cause) && !storage) {
        LOG.warn("group commit of {} commands failed ({}); re-running them one per transaction", batch.size(), cause.toString());
        return oneByOne(batch, 0);
      }
      batch.forEach(p -> p.fail(failures.answerFor(cause)));
      return Future.succeededFuture();
    });
  }

  private void committed(List<Pending<?>> batch) {
    commits.incrementAndGet();
    failures.writeSucceeded();
    processors(batch).forEach(BatchProcessor::committed);
    batch.forEach(p -> p.settle(failures));
    events.committed();
  }

  private Future<Void> oneByOne(List<Pending<?>> batch, int index) {
    if (index == batch.size()) {
      return Future.succeededFuture();
    }
    Pending<?> pending = batch.get(index);
    pending.reset();
    return transaction(List.of(pending), 0, System.nanoTime()).transform(outcome -> {
      if (outcome.succeeded()) {
        committed(List.of(pending));
      } else {
        processors(List.of(pending)).forEach(BatchProcessor::rolledBack);
        failures.record(outcome.cause());
        pending.fail(failures.answerFor(outcome.cause()));
      }
      return oneByOne(batch, index + 1);
    });
  }

  /**
   * The hot path, in ONE blocking task. It is a task (on the writer's own thread) rather than a call so that the
   * commands queued meanwhile are added to the queue while it runs, and go together into the next batch. None of
   * these commands needs a savepoint (book runs refuse before writing; marks never refuse).
   *
   * <p>When the BEGIN itself fails, nothing was written and the batch goes the general way, whose
   * {@link WriteLock#begin} deals with a busy lock and with a transaction left open. A busy lock has already cost one
   * {@code busy_timeout} here, so the general way starts at its first retry: a command still waits at most
   * (1 + {@code writer.busyRetries}) busy timeouts for its 503.
   */
  private Future<Void> transactionOnWorker(List<Pending<?>> batch) {
    long started = System.nanoTime();
    JdbcSession jdbc = connection.jdbc();
    return connection.<Void>blocking(() -> {
          try {
            jdbc.execute("BEGIN IMMEDIATE");
          } catch (SQLException e) {
            throw new BeginFailed(e);
          }
          try {
            runOnWorker(batch);
            commitNow();
            return null;
          } catch (Throwable e) {
            try {
              jdbc.execute("ROLLBACK");
            } catch (SQLException ignored) {
              // a failed COMMIT may already have ended the transaction
            }
            throw e;
          }
        })
        .transform(done -> {
          if (done.failed() && done.cause() instanceof BeginFailed failed) {
            if (!SqliteBusy.isBusy(failed.getCause())) {
              return transaction(batch, 0, started);
            }
            if (!lock.retryAfterFirstBusy()) {
              events.ended(batch.size(), System.nanoTime() - started, failed.getCause());
              return Future.failedFuture(failed.getCause());
            }
            return transaction(batch, 1, started);
          }
          events.ended(batch.size(), System.nanoTime() - started, done.cause());
          return done.succeeded() ? Future.succeededFuture() : Future.failedFuture(done.cause());
        });
  }

  /** BEGIN IMMEDIATE failed on the worker: nothing was written, the batch may go the general way. */
  private static final class BeginFailed extends RuntimeException {
    BeginFailed(SQLException cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  /** On the writer's thread, in one blocking task: each run of a processor's commands, each JDBC command, in order. */
  private void runOnWorker(List<Pending<?>> batch) throws Exception {
    int index = 0;
    while (index < batch.size()) {
      Pending<?> pending = batch.get(index);
      if (pending.write instanceof Write.Jdbc<?> jdbc) {
        pending.setResult(jdbc.work().execute(connection.jdbc()));
        index++;
        continue;
      }
      int end = runEnd(batch, index);
      processRun(batch.subList(index, end));
      index = end;
    }
  }

  /**
   * BEGIN IMMEDIATE from the given attempt, every command (each in a savepoint when there are several), COMMIT;
   * ROLLBACK on failure. {@code started} times it for the observers.
   */
  private Future<Void> transaction(List<Pending<?>> batch, int firstAttempt, long started) {
    boolean savepoints = batch.size() > 1;
    // the work starts from a completed future so that even a command that throws reaches the ROLLBACK
    return lock.begin(firstAttempt).compose(begun -> Future.<Void>succeededFuture()
        .compose(v -> runEach(batch, 0, savepoints))
        .compose(v -> connection.<Void>blocking(() -> {
          commitNow();
          return null;
        }))
        .recover(err -> connection.exec("ROLLBACK").otherwiseEmpty().compose(x -> Future.failedFuture(err))))
        .andThen(done -> events.ended(batch.size(), System.nanoTime() - started, done.cause()));
  }

  private Future<Void> runEach(List<Pending<?>> batch, int index, boolean savepoints) {
    if (index == batch.size()) {
      return Future.succeededFuture();
    }
    Pending<?> pending = batch.get(index);
    if (pending.write instanceof Write.Batched<?, ?>) {
      int end = runEnd(batch, index);
      List<Pending<?>> run = batch.subList(index, end);
      // decided and written in one blocking task; an exception there fails the transaction
      return connection.<Void>blocking(() -> {
        processRun(run);
        return null;
      }).compose(v -> runEach(batch, end, savepoints));
    }
    if (savepoints && pending.write instanceof Write.RefusingBeforeWriting<?>) {
      return pending.run(connection).transform(ran -> {
        if (ran.succeeded()) {
          return runEach(batch, index + 1, savepoints);
        }
        if (ran.cause() instanceof CommandFailure refused) {
          pending.failed = refused; // refused before writing: the others go on
          return runEach(batch, index + 1, savepoints);
        }
        return Future.failedFuture(ran.cause());
      });
    }
    Future<Void> step = savepoints
        ? connection.exec("SAVEPOINT command").compose(v -> pending.run(connection).transform(ran -> {
            if (ran.succeeded()) {
              return connection.exec("RELEASE command");
            }
            pending.failed = ran.cause();
            return connection.exec("ROLLBACK TO command").compose(x -> connection.exec("RELEASE command"));
          }))
        : pending.run(connection);
    return step.compose(v -> runEach(batch, index + 1, savepoints));
  }

  /** Where the run of commands for the same processor that starts at {@code index} ends (exclusive). */
  private static int runEnd(List<Pending<?>> batch, int index) {
    BatchProcessor<?> processor = ((Write.Batched<?, ?>) batch.get(index).write).processor();
    int end = index;
    while (end < batch.size() && batch.get(end).write instanceof Write.Batched<?, ?> b && b.processor() == processor) {
      end++;
    }
    return end;
  }

  /** In a blocking task: the processor decides and writes the run; each command gets its outcome. */
  @SuppressWarnings("unchecked")
  private <C> void processRun(List<Pending<?>> run) throws SQLException {
    BatchProcessor<C> processor = (BatchProcessor<C>) ((Write.Batched<?, ?>) run.get(0).write).processor();
    List<C> commands = new ArrayList<>(run.size());
    for (Pending<?> p : run) {
      commands.add(((Write.Batched<C, ?>) p.write).command());
    }
    List<Object> outcomes = processor.process(connection.jdbc(), commands);
    for (int i = 0; i < run.size(); i++) {
      Object outcome = outcomes.get(i);
      if (outcome instanceof Throwable refused) {
        run.get(i).failed = refused;
      } else {
        run.get(i).setResult(outcome);
      }
    }
  }

  private static Set<BatchProcessor<?>> processors(List<Pending<?>> batch) {
    Set<BatchProcessor<?>> used = new LinkedHashSet<>();
    for (Pending<?> p : batch) {
      if (p.write instanceof Write.Batched<?, ?> batched) {
        used.add(batched.processor());
      }
    }
    return used;
  }

  /** COMMIT, unless the database file is no longer at its path: then the caller rolls back (one stat per commit). */
  private void commitNow() throws SQLException {
    databaseFile.verify();
    connection.jdbc().execute("COMMIT");
  }
}
