package io.tradestore.store;

import io.tradestore.CommandFailure;
import io.tradestore.ErrorCode;
import io.tradestore.config.EngineConfig;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The only path that writes to the database. SQLite has one write lock, so the engine has one writer: one
 * connection, driven from one Vert.x context on a thread of its own ({@link #THREAD_NAME}), fed by a bounded queue.
 *
 * <p>The writer drains up to {@code maxBatchSize} queued commands and runs them in ONE transaction (group
 * commit): a lone command goes at once, a burst shares one commit. Each command is still atomic on its own: it
 * runs inside a savepoint, and a command that fails is rolled back to its savepoint and answered with its own
 * error while the others commit. If the transaction itself fails, the batch is re-run one command per
 * transaction so that only the culprit fails. A command's future completes only after the COMMIT that made it
 * durable.
 *
 * <p>Transactions are sent as SQL ({@code BEGIN IMMEDIATE}/{@code COMMIT}/{@code ROLLBACK}) on an autocommit
 * connection: vertx-jdbc-client 5.0.x's own transaction API leaves pooled connections with autocommit off
 * (vert-x3/vertx-jdbc-client#356), which on SQLite loses writes or keeps the write lock.
 *
 * <p>The connection is the one of a vertx-jdbc-client pool of size one, which {@link WriteCommand}s use as a
 * {@link SqlConnection}; the hot path ({@link BatchProcessor}s) and transaction control use the same connection
 * through plain JDBC ({@link JdbcSession}): one task per run instead of one per statement. Both are only ever
 * used by the command being run, on the writer's thread.
 */
public final class StoreWriter {
  private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);

  /**
   * One unit of work. It runs inside the writer's transaction and must only use the connection it is given. It
   * may be run a second time (when its batch's transaction fails, each command is re-run on its own), so it
   * must have no effect outside the database until its future is answered.
   */
  @FunctionalInterface
  public interface WriteCommand<T> {
    Future<T> execute(SqlConnection tx);
  }

  /** How a transaction ended, for {@link TransactionObserver}. */
  public enum TransactionOutcome {
    /** Committed (commands refused inside their savepoint are still part of it). */
    COMMITTED,
    /** Rolled back because its single command refused (a coded answer such as a conflict): not a fault. */
    REFUSED,
    /** Rolled back because the write lock was held elsewhere, even after the retries. */
    BUSY,
    /** Rolled back for any other reason (a database error, a failed COMMIT, an unexpected exception). */
    FAILED
  }

  /**
   * Told about every transaction the writer ran, on the writer's context, so that it must be quick. Metrics use it;
   * the writer itself knows nothing of them.
   */
  @FunctionalInterface
  public interface TransactionObserver {
    /**
     * @param commands how many commands the transaction carried
     * @param nanos    from sending BEGIN (waiting for the write lock included) to the end of COMMIT or ROLLBACK
     */
    void transaction(int commands, long nanos, TransactionOutcome outcome);
  }

  private final Vertx vertx;
  private final EngineConfig.Writer settings;
  private final Pool pool;
  private final Context context;
  private final SqlConnection connection;
  private final JdbcSession jdbc;
  private final Path databasePath;
  private final DatabaseFile databaseFile;
  private final StorageFaults storageFaults = new StorageFaults();
  /** Set once the database file is found deleted or replaced: every write is refused from then on. */
  private volatile StorageFault databaseGone;
  private final ArrayDeque<Pending<?>> queue = new ArrayDeque<>();
  private final AtomicInteger depth = new AtomicInteger();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong busyRetries = new AtomicLong();
  private final List<Runnable> commitListeners = new CopyOnWriteArrayList<>();
  private final List<TransactionObserver> observers = new CopyOnWriteArrayList<>();
  private volatile boolean accepting = true;
  private volatile long batchStartedNanos;
  private boolean running;
  private Promise<Void> drained;
  private volatile Future<Void> closed;
  private volatile String deploymentId;
  private volatile Context opener;

  private StoreWriter(Vertx vertx, EngineConfig.Writer settings, Pool pool, Context context, SqlConnection connection,
                      java.sql.Connection jdbcConnection, Path databasePath) {
    this.vertx = vertx;
    this.databasePath = databasePath.toAbsolutePath();
    this.databaseFile = DatabaseFile.identify(databasePath);
    this.settings = settings;
    this.pool = pool;
    this.context = context;
    this.connection = connection;
    this.jdbc = new JdbcSession(jdbcConnection);
  }

  /**
   * Opens the writer connection on a thread of its own. Must be called on a Vert.x context. Opening the writer
   * first also puts the file in the configured journal mode, which read-only connections cannot do.
   *
   * <p>The writer's context is a worker context on a pool of one thread ({@value #THREAD_NAME}), not an event loop:
   * on an event loop shared with verticles (and, in the bench, with the load driver), the writer's steps between
   * transactions waited behind their work, and each transaction paid a hop to a worker thread and back. On its own
   * thread its steps and its JDBC calls run one after the other with no other work between them (measured:
   * docs/performance.md, "Measurements behind design choices").
   */
  public static Future<StoreWriter> open(Vertx vertx, EngineConfig.Database db, EngineConfig.Writer settings) {
    Context opener = Vertx.currentContext();
    if (opener == null) {
      return Future.failedFuture(new IllegalStateException("StoreWriter.open must be called on a Vert.x context"));
    }
    WriterThread thread = new WriterThread(db, settings);
    return vertx.deployVerticle(thread, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
            .setWorkerPoolName(THREAD_NAME).setWorkerPoolSize(1))
        .map(id -> {
          thread.writer.deploymentId = id;
          thread.writer.opener = opener;
          return thread.writer;
        });
  }

  /** The name of the writer's thread (a Vert.x worker pool of one); the bench's CPU accounts look for it. */
  public static final String THREAD_NAME = "tradestore-writer";

  /**
   * Holds the writer's context. If Vert.x undeploys it before the store is closed (Vert.x closed without the
   * engine's ordered stop), it closes the writer itself, so that queued commands are still answered.
   */
  private static final class WriterThread extends VerticleBase {
    private final EngineConfig.Database db;
    private final EngineConfig.Writer settings;
    private StoreWriter writer;

    WriterThread(EngineConfig.Database db, EngineConfig.Writer settings) {
      this.db = db;
      this.settings = settings;
    }

    @Override
    public Future<?> start() {
      return openOnThisContext(vertx, context, db, settings).onSuccess(opened -> writer = opened);
    }

    @Override
    public Future<?> stop() {
      if (writer == null) {
        return Future.succeededFuture();
      }
      writer.deploymentId = null; // being undeployed: close() has no thread left to end
      return writer.closeConnection();
    }
  }

  private static Future<StoreWriter> openOnThisContext(Vertx vertx, Context context, EngineConfig.Database db,
                                                       EngineConfig.Writer settings) {
    SqliteFiles.prepareDatabaseFile(db.path());
    // the pool opens its one connection through this data source, which keeps it for JdbcSession
    AtomicReference<java.sql.Connection> opened = new AtomicReference<>();
    SQLiteDataSource configured = SqliteConnections.writer(db);
    SQLiteDataSource dataSource = new SQLiteDataSource(configured.getConfig()) {
      @Override
      public SQLiteConnection getConnection(String user, String password) throws SQLException {
        SQLiteConnection c = super.getConnection(user, password);
        opened.set(c);
        return c;
      }
    };
    dataSource.setUrl(configured.getUrl());
    Pool pool = JDBCPool.pool(vertx, dataSource, new PoolOptions().setMaxSize(1).setName("sqlite-writer"));
    return pool.getConnection()
        .map(connection -> new StoreWriter(vertx, settings, pool, context, connection, opened.get(), db.path()))
        .recover(err -> pool.close().transform(x -> Future.failedFuture(err)));
  }

  /**
   * Queues a command. Fails at once with OVERLOADED when the queue is full and with UNAVAILABLE once the writer
   * is closing; otherwise completes, on the caller's context, after the command's transaction committed.
   */
  public <T> Future<T> submit(WriteCommand<T> command) {
    return enqueue(command, false);
  }

  /**
   * Like {@link #submit}, without the savepoint (two round trips) around the command, for commands that refuse
   * only before their first write: a {@link io.tradestore.CommandFailure} from it must mean that it wrote nothing.
   * Any other failure fails the whole transaction, and the writer re-runs the batch one command per transaction.
   */
  public <T> Future<T> submitWithoutSavepoint(WriteCommand<T> command) {
    return enqueue(new Unguarded<>(command), false);
  }

  /**
   * Like {@link #submitWithoutSavepoint}, for a command on plain JDBC ({@link JdbcSession}): one worker-thread trip
   * for the whole command. For commands that never refuse (any failure fails the transaction).
   */
  public <T> Future<T> submitJdbc(JdbcWork<T> command) {
    return enqueue(new OnJdbc<>(command, this), false);
  }

  /** A command on plain JDBC; run on its own (one worker trip) or inside a batch run wholly on the worker. */
  private record OnJdbc<T>(JdbcWork<T> command, StoreWriter writer) implements WriteCommand<T> {
    @Override
    public Future<T> execute(SqlConnection tx) {
      return writer.context.executeBlocking(() -> command.execute(writer.jdbc), false);
    }
  }

  /** A command that needs no savepoint: it refuses before writing anything. */
  private record Unguarded<T>(WriteCommand<T> command) implements WriteCommand<T> {
    @Override
    public Future<T> execute(SqlConnection tx) {
      return command.execute(tx);
    }
  }

  /**
   * Queues a command for a {@link BatchProcessor}: consecutive commands for the same processor are decided
   * together in memory and written with one statement batch per kind. Answered after the commit, like
   * {@link #submit}.
   */
  public <C, T> Future<T> submit(BatchProcessor<C> processor, C command) {
    return enqueue(new BatchedCommand<>(processor, command), false);
  }

  /** A command bound to its processor; the writer runs these in runs, never through {@link WriteCommand#execute}. */
  private record BatchedCommand<C, T>(BatchProcessor<C> processor, C command) implements WriteCommand<T> {
    @Override
    public Future<T> execute(SqlConnection tx) {
      throw new IllegalStateException("batched commands are run by their processor");
    }
  }

  /**
   * Queues work that must not run inside a transaction (a WAL checkpoint, {@code PRAGMA optimize}): it runs on
   * the writer's connection between two batches, so it never competes with the writer for the lock.
   */
  public <T> Future<T> submitOutsideTransaction(WriteCommand<T> command) {
    return enqueue(command, true);
  }

  private <T> Future<T> enqueue(WriteCommand<T> command, boolean outsideTransaction) {
    if (!accepting) {
      return Future.failedFuture(new CommandFailure(ErrorCode.UNAVAILABLE, "the engine is shutting down"));
    }
    StorageFault gone = databaseGone;
    if (gone != null) {
      return Future.failedFuture(gone.toFailure());
    }
    if (depth.incrementAndGet() > settings.queueCapacity()) {
      depth.decrementAndGet();
      return Future.failedFuture(new CommandFailure(ErrorCode.OVERLOADED,
          "writer queue is full (" + settings.queueCapacity() + " commands waiting); retry later"));
    }
    Pending<T> pending = new Pending<>(command, Vertx.currentContext(), outsideTransaction);
    context.runOnContext(v -> {
      if (drained != null && drained.future().isComplete()) {
        // raced with the end of the drain: the connection is about to close
        depth.decrementAndGet();
        pending.fail(new CommandFailure(ErrorCode.UNAVAILABLE, "the engine is shutting down"));
        return;
      }
      queue.add(pending);
      drain();
    });
    return pending.promise.future();
  }

  /**
   * How long the transaction being written has been running, 0 when idle. A writer stuck for seconds (a
   * command whose future never completes, a lock held elsewhere) shows here and in readiness.
   */
  public long currentBatchMillis() {
    long started = batchStartedNanos;
    return started == 0 ? 0 : (System.nanoTime() - started) / 1_000_000;
  }

  /** Runs after every successful commit, on the writer's context (for example to wake the outbox). */
  public void onCommit(Runnable listener) {
    commitListeners.add(listener);
  }

  public void removeCommitListener(Runnable listener) {
    commitListeners.remove(listener);
  }

  /** Adds an observer told about every transaction (the metrics; the bench's commit-time histogram). */
  public void addTransactionObserver(TransactionObserver observer) {
    observers.add(observer);
  }

  public void removeTransactionObserver(TransactionObserver observer) {
    observers.remove(observer);
  }

  /**
   * Why the writer's last write failed for a storage reason (a full disk, a read-only file system, the database file
   * deleted...), or null when it succeeded; readiness is down meanwhile. A fault clears with the next commit, except
   * a deleted or replaced database file, which stays until the engine is restarted on a restored one.
   */
  public StorageFault storageFault() {
    StorageFault gone = databaseGone;
    return gone != null ? gone : storageFaults.current();
  }

  /** Writes that failed for a storage reason with {@code code} ({@code STORAGE_FULL}, ...), for the metrics. */
  public long storageFaultCount(ErrorCode code) {
    return storageFaults.count(code);
  }

  /** False once the writer has begun to shut down. */
  public boolean isAccepting() {
    return accepting;
  }

  /** Commands queued or in the transaction being written. */
  public int queueDepth() {
    return depth.get();
  }

  public long commitCount() {
    return commits.get();
  }

  public long busyRetryCount() {
    return busyRetries.get();
  }

  /** Stops taking commands; completes when everything already queued has been committed and answered. */
  public Future<Void> drainAndStop() {
    Future<Void> closing = closed;
    if (closing != null) {
      return closing; // closed (or closing) once drained; its context may already be gone
    }
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      accepting = false;
      if (drained == null) {
        drained = Promise.promise();
      }
      drained.future().onComplete(done);
      drain();
    });
    return done.future();
  }

  /**
   * Drains (see {@link #drainAndStop()}), checkpoints the WAL into the main file and closes the connection and the
   * writer's thread. Readers should be closed before, so that the checkpoint can truncate the WAL to zero. Safe to
   * call more than once.
   */
  public Future<Void> close() {
    return closeConnection().transform(x -> {
      String id = deploymentId;
      deploymentId = null;
      if (id == null) {
        return Future.succeededFuture();
      }
      // undeployed from the context that opened the writer: the undeploy ends the writer's own context, where its
      // answer would never be delivered
      Promise<Void> undeployed = Promise.promise();
      opener.runOnContext(v -> vertx.undeploy(id).otherwiseEmpty().onComplete(undeployed));
      return undeployed.future();
    });
  }

  /** Everything {@link #close()} does but ending the writer's thread; once, whoever asks first. */
  private synchronized Future<Void> closeConnection() {
    if (closed == null) {
      closed = drainAndStop()
          .compose(x -> closingCheckpoint().otherwiseEmpty())
          .eventually(() -> context.executeBlocking(() -> {
            jdbc.close();
            return null;
          }, false))
          .eventually(connection::close)
          .eventually(pool::close);
    }
    return closed;
  }

  /**
   * The checkpoint that lets a clean stop leave no WAL behind; skipped when the database file is gone, since it would
   * move what the -wal still holds into the deleted file and then empty the -wal: the orphaned -wal is what tells the
   * next start that the database went missing ({@link SqliteFiles#prepareDatabaseFile}).
   */
  private Future<Void> closingCheckpoint() {
    return context.executeBlocking(() -> {
      if (databaseGone == null) {
        try {
          databaseFile.verify();
        } catch (DatabaseFile.Replaced e) {
          recordFailure(e);
        }
      }
      if (databaseGone == null) {
        jdbc.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      return null;
    }, false);
  }

  private void drain() {
    if (running) {
      return;
    }
    if (queue.isEmpty()) {
      if (drained != null) {
        drained.tryComplete();
      }
      return;
    }
    running = true;
    batchStartedNanos = System.nanoTime();
    List<Pending<?>> batch = new ArrayList<>(Math.min(queue.size(), settings.maxBatchSize()));
    if (queue.peek().outsideTransaction) {
      batch.add(queue.poll());
    } else {
      while (batch.size() < settings.maxBatchSize() && !queue.isEmpty() && !queue.peek().outsideTransaction) {
        batch.add(queue.poll());
      }
    }
    Future<Void> written = batch.get(0).outsideTransaction ? runAlone(batch.get(0)) : writeBatch(batch);
    written.onComplete(done -> {
      depth.addAndGet(-batch.size());
      batchStartedNanos = 0;
      running = false;
      drain();
    });
  }

  private Future<Void> runAlone(Pending<?> pending) {
    StorageFault gone = databaseGone;
    if (gone != null) { // e.g. a checkpoint, which would copy the -wal into the deleted file
      pending.fail(gone.toFailure());
      return Future.succeededFuture();
    }
    return Future.<Void>succeededFuture().compose(v -> pending.run(connection)).transform(outcome -> {
      if (outcome.succeeded()) {
        pending.settle(databasePath);
      } else {
        recordFailure(outcome.cause());
        pending.fail(answerFor(outcome.cause(), databasePath));
      }
      return Future.succeededFuture();
    });
  }

  /** Always succeeds: every pending command of the batch is settled with its own outcome. */
  private Future<Void> writeBatch(List<Pending<?>> batch) {
    StorageFault gone = databaseGone;
    if (gone != null) { // queued before the file was found gone
      batch.forEach(p -> p.fail(gone.toFailure()));
      return Future.succeededFuture();
    }
    Future<Void> written = batch.stream().allMatch(p -> p.command instanceof BatchedCommand<?, ?> || p.command instanceof OnJdbc<?>)
        ? transactionOnWorker(batch)
        : transaction(batch);
    return written.transform(outcome -> {
      if (outcome.succeeded()) {
        commits.incrementAndGet();
        storageFaults.writeSucceeded();
        processors(batch).forEach(BatchProcessor::committed);
        batch.forEach(p -> p.settle(databasePath));
        notifyCommitted();
        return Future.succeededFuture();
      }
      processors(batch).forEach(BatchProcessor::rolledBack);
      Throwable cause = outcome.cause();
      // a storage fault is not one command's doing: re-running each would fail each the same way, at the disk's cost
      boolean storage = recordFailure(cause);
      if (batch.size() > 1 && !SqliteBusy.isBusy(cause) && !storage) {
        LOG.warn("group commit of {} commands failed ({}); re-running them one per transaction", batch.size(), cause.toString());
        return oneByOne(batch, 0);
      }
      batch.forEach(p -> p.fail(answerFor(cause, databasePath)));
      return Future.succeededFuture();
    });
  }

  private Future<Void> oneByOne(List<Pending<?>> batch, int index) {
    if (index == batch.size()) {
      return Future.succeededFuture();
    }
    Pending<?> pending = batch.get(index);
    pending.reset();
    return transaction(List.of(pending)).transform(outcome -> {
      if (outcome.succeeded()) {
        commits.incrementAndGet();
        storageFaults.writeSucceeded();
        processors(List.of(pending)).forEach(BatchProcessor::committed);
        pending.settle(databasePath);
        notifyCommitted();
      } else {
        processors(List.of(pending)).forEach(BatchProcessor::rolledBack);
        recordFailure(outcome.cause());
        pending.fail(answerFor(outcome.cause(), databasePath));
      }
      return oneByOne(batch, index + 1);
    });
  }

  private void notifyCommitted() {
    for (Runnable listener : commitListeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        LOG.error("commit listener failed", e);
      }
    }
  }

  /**
   * The hot path: a batch of plain-JDBC work only (trading book runs, outbox marks) runs from {@code BEGIN
   * IMMEDIATE} to {@code COMMIT} in ONE blocking task, instead of one per statement and per command. It is a task
   * (on the writer's own thread) rather than a call so that the commands queued meanwhile are added to the queue
   * while it runs, and go together into the next batch. None of these commands needs a savepoint (book runs refuse
   * before writing; marks never refuse).
   *
   * <p>When the BEGIN itself fails, nothing was written and the batch goes the general way, whose {@link #begin}
   * deals with a busy lock and with a transaction left open. A busy lock has already cost one
   * {@code busy_timeout} here, so the general way starts at its first retry: a command still waits at most
   * (1 + {@code writer.busyRetries}) busy timeouts for its 503.
   */
  private Future<Void> transactionOnWorker(List<Pending<?>> batch) {
    long started = System.nanoTime();
    return context.<Void>executeBlocking(() -> {
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
        }, false)
        .transform(done -> {
          if (done.failed() && done.cause() instanceof BeginFailed failed) {
            if (!SqliteBusy.isBusy(failed.getCause())) {
              return transaction(batch, 0, started);
            }
            if (settings.busyRetries() == 0) {
              observe(batch.size(), System.nanoTime() - started, failed.getCause());
              return Future.failedFuture(failed.getCause());
            }
            busyRetries.incrementAndGet();
            return transaction(batch, 1, started);
          }
          observe(batch.size(), System.nanoTime() - started, done.cause());
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
  @SuppressWarnings({"unchecked", "rawtypes"})
  private void runOnWorker(List<Pending<?>> batch) throws Exception {
    int index = 0;
    while (index < batch.size()) {
      Pending<?> pending = batch.get(index);
      if (pending.command instanceof OnJdbc<?> onJdbc) {
        ((Pending) pending).setResult(onJdbc.command().execute(jdbc));
        index++;
        continue;
      }
      int end = runEnd(batch, index);
      processRunNow(((BatchedCommand<?, ?>) pending.command).processor(), batch.subList(index, end));
      index = end;
    }
  }

  /** Where the run of commands for the same processor that starts at {@code index} ends (exclusive). */
  private static int runEnd(List<Pending<?>> batch, int index) {
    BatchProcessor<?> processor = ((BatchedCommand<?, ?>) batch.get(index).command).processor();
    int end = index;
    while (end < batch.size() && batch.get(end).command instanceof BatchedCommand<?, ?> b && b.processor() == processor) {
      end++;
    }
    return end;
  }

  /** In a blocking task: the processor decides and writes the run; each command gets its outcome. */
  @SuppressWarnings("unchecked")
  private <C> void processRunNow(BatchProcessor<C> processor, List<Pending<?>> run) throws SQLException {
    List<C> commands = new ArrayList<>(run.size());
    for (Pending<?> p : run) {
      commands.add(((BatchedCommand<C, ?>) p.command).command());
    }
    List<Object> outcomes = processor.process(jdbc, commands);
    for (int i = 0; i < run.size(); i++) {
      Object outcome = outcomes.get(i);
      if (outcome instanceof Throwable refused) {
        run.get(i).failed = refused;
      } else {
        run.get(i).setResult(outcome);
      }
    }
  }

  /** BEGIN IMMEDIATE, every command (each in a savepoint when there are several), COMMIT; ROLLBACK on failure. */
  private Future<Void> transaction(List<Pending<?>> batch) {
    return transaction(batch, 0, System.nanoTime());
  }

  /** From the given attempt at taking the lock (see {@link #begin}); {@code started} times it for the observers. */
  private Future<Void> transaction(List<Pending<?>> batch, int firstAttempt, long started) {
    boolean savepoints = batch.size() > 1;
    // the work starts from a completed future so that even a command that throws reaches the ROLLBACK
    return begin(firstAttempt).compose(begun -> Future.<Void>succeededFuture()
        .compose(v -> runEach(batch, 0, savepoints))
        .compose(v -> context.<Void>executeBlocking(() -> {
          commitNow();
          return null;
        }, false))
        .recover(err -> exec("ROLLBACK").otherwiseEmpty().compose(x -> Future.failedFuture(err))))
        .andThen(done -> observe(batch.size(), System.nanoTime() - started, done.cause()));
  }

  private void observe(int commands, long nanos, Throwable failure) {
    TransactionOutcome outcome = failure == null ? TransactionOutcome.COMMITTED
        : failure instanceof CommandFailure ? TransactionOutcome.REFUSED
        : SqliteBusy.isBusy(failure) ? TransactionOutcome.BUSY
        : TransactionOutcome.FAILED;
    for (TransactionObserver observer : observers) {
      try {
        observer.transaction(commands, nanos, outcome);
      } catch (RuntimeException e) {
        LOG.error("transaction observer failed", e);
      }
    }
  }

  private static Set<BatchProcessor<?>> processors(List<Pending<?>> batch) {
    Set<BatchProcessor<?>> used = new LinkedHashSet<>();
    for (Pending<?> p : batch) {
      if (p.command instanceof BatchedCommand<?, ?> batched) {
        used.add(batched.processor());
      }
    }
    return used;
  }

  private Future<Void> runEach(List<Pending<?>> batch, int index, boolean savepoints) {
    if (index == batch.size()) {
      return Future.succeededFuture();
    }
    Pending<?> pending = batch.get(index);
    if (pending.command instanceof BatchedCommand<?, ?> first) {
      int end = runEnd(batch, index);
      List<Pending<?>> run = batch.subList(index, end);
      // decided and written in one blocking task; an exception there fails the transaction
      return context.<Void>executeBlocking(() -> {
        processRunNow(first.processor(), run);
        return null;
      }, false).compose(v -> runEach(batch, end, savepoints));
    }
    if (savepoints && pending.command instanceof Unguarded<?>) {
      return pending.run(connection).transform(ran -> {
        if (ran.succeeded()) {
          return runEach(batch, index + 1, savepoints);
        }
        if (ran.cause() instanceof io.tradestore.CommandFailure refused) {
          pending.failed = refused; // refused before writing: the others go on
          return runEach(batch, index + 1, savepoints);
        }
        return Future.failedFuture(ran.cause());
      });
    }
    Future<Void> step = savepoints
        ? exec("SAVEPOINT command").compose(v -> pending.run(connection).transform(ran -> {
            if (ran.succeeded()) {
              return exec("RELEASE command");
            }
            pending.failed = ran.cause();
            return exec("ROLLBACK TO command").compose(x -> exec("RELEASE command"));
          }))
        : pending.run(connection);
    return step.compose(v -> runEach(batch, index + 1, savepoints));
  }

  /** Takes the write lock; another process (a backup, an operator's sqlite3) may hold it for a while. */
  private Future<Void> begin(int attempt) {
    return exec("BEGIN IMMEDIATE").recover(err -> {
      if (String.valueOf(err.getMessage()).contains("within a transaction") && attempt == 0) {
        // a transaction left open by a failure we did not foresee: end it rather than keep the write lock
        LOG.error("writer found a transaction still open; rolling it back");
        return exec("ROLLBACK").otherwiseEmpty().compose(v -> begin(attempt + 1));
      }
      if (!SqliteBusy.isBusy(err) || attempt >= settings.busyRetries()) {
        return Future.failedFuture(err);
      }
      busyRetries.incrementAndGet();
      long backoff = Math.min(1000, 10L << attempt) + ThreadLocalRandom.current().nextLong(10);
      Promise<Void> retry = Promise.promise();
      vertx.setTimer(backoff, id -> begin(attempt + 1).onComplete(retry));
      return retry.future();
    });
  }

  /** COMMIT, unless the database file is no longer at its path: then the caller rolls back (one stat per commit). */
  private void commitNow() throws SQLException {
    databaseFile.verify();
    jdbc.execute("COMMIT");
  }

  /**
   * Counts, logs (rate-limited) and keeps for readiness a failure that came from the storage; true when it was one.
   * A deleted or replaced database file also stops every later write.
   */
  private boolean recordFailure(Throwable cause) {
    if (cause instanceof CommandFailure || SqliteBusy.isBusy(cause)) {
      return false;
    }
    java.util.Optional<StorageFault> fault = StorageFault.of(cause, databasePath);
    if (fault.isEmpty()) {
      return false;
    }
    if (DatabaseFile.REPLACED.equals(fault.get().condition()) && databaseGone == null) {
      databaseGone = fault.get();
    }
    storageFaults.failed(fault.get());
    return true;
  }

  private Future<Void> exec(String sql) {
    return context.executeBlocking(() -> {
      jdbc.execute(sql);
      return null;
    }, false);
  }


  private static CommandFailure answerFor(Throwable error, Path database) {
    if (error instanceof CommandFailure failure) {
      return failure;
    }
    if (SqliteBusy.isBusy(error)) {
      return new CommandFailure(ErrorCode.DATABASE_BUSY, "database is busy (write lock held elsewhere); retry later");
    }
    java.util.Optional<StorageFault> fault = StorageFault.of(error, database);
    if (fault.isPresent()) { // counted and logged once per transaction by recordFailure, not per command
      return fault.get().toFailure();
    }
    LOG.error("write failed", error);
    return CommandFailures.of(error);
  }

  /** A queued command, its outcome inside the current transaction, and where to answer it. */
  private static final class Pending<T> {
    final WriteCommand<T> command;
    final Context caller;
    final boolean outsideTransaction;
    final Promise<T> promise = Promise.promise();
    T result;
    Throwable failed;

    Pending(WriteCommand<T> command, Context caller, boolean outsideTransaction) {
      this.command = command;
      this.caller = caller;
      this.outsideTransaction = outsideTransaction;
    }

    Future<Void> run(SqlConnection tx) {
      Future<T> outcome;
      try {
        outcome = command.execute(tx);
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

    void reset() {
      result = null;
      failed = null;
    }

    @SuppressWarnings("unchecked")
    void setResult(Object value) {
      result = (T) value;
    }

    void settle(Path database) {
      if (failed != null) {
        fail(answerFor(failed, database));
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
}
