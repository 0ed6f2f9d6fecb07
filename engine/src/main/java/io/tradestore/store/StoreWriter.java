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
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The only path that writes to the database. SQLite has one write lock, so the engine has one writer: one
 * connection, driven from one Vert.x context on a thread of its own ({@link #THREAD_NAME}), fed by a bounded queue
 * ({@link WriteQueue}). Each {@link #submit} is answered after the COMMIT that made it durable.
 *
 * <p>The writer takes up to {@code maxBatchSize} queued commands at a time and writes them as one transaction
 * ({@link GroupCommit}), taking the write lock through {@link WriteLock}; {@link WriteFailures} says what each
 * failure means and answers it. This class opens and closes the writer and runs its loop.
 *
 * <p>Transactions are sent as SQL ({@code BEGIN IMMEDIATE}/{@code COMMIT}/{@code ROLLBACK}) on an autocommit
 * connection: vertx-jdbc-client 5.0.x's own transaction API leaves pooled connections with autocommit off
 * (vert-x3/vertx-jdbc-client#356), which on SQLite loses writes or keeps the write lock. The connection is the one
 * of a vertx-jdbc-client pool of size one, used as a {@link SqlConnection} by SQL work and through plain JDBC
 * ({@link JdbcSession}) by the hot path and transaction control ({@link WriterConnection}).
 */
public final class StoreWriter {
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
  private final Pool pool;
  private final Context context;
  private final WriterConnection connection;
  private final DatabaseFile databaseFile;
  private final WriteQueue queue;
  private final WriteLock lock;
  private final WriteFailures failures;
  private final TransactionEvents events = new TransactionEvents();
  private final GroupCommit groupCommit;
  private volatile boolean accepting = true;
  private volatile long batchStartedNanos;
  private boolean running;
  private Promise<Void> drained;
  private volatile Future<Void> closed;
  private volatile String deploymentId;
  private volatile Context opener;

  private StoreWriter(Vertx vertx, EngineConfig.Writer settings, Pool pool, Context context, SqlConnection sql,
                      java.sql.Connection jdbcConnection, Path databasePath) {
    this.vertx = vertx;
    this.pool = pool;
    this.context = context;
    this.connection = new WriterConnection(context, sql, new JdbcSession(jdbcConnection));
    this.databaseFile = DatabaseFile.identify(databasePath);
    this.queue = new WriteQueue(settings.queueCapacity(), settings.maxBatchSize());
    this.lock = new WriteLock(vertx, connection, settings.busyRetries());
    this.failures = new WriteFailures(databasePath.toAbsolutePath());
    this.groupCommit = new GroupCommit(connection, lock, failures, events, databaseFile);
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
   * Queues a write (the kinds are {@link Write}'s factories). Fails at once with OVERLOADED when the queue is full
   * and with UNAVAILABLE once the writer is closing or the database file is gone; otherwise completes, on the
   * caller's context, after the transaction that holds it committed.
   */
  public <T> Future<T> submit(Write<T> write) {
    if (!accepting) {
      return Future.failedFuture(new CommandFailure(ErrorCode.UNAVAILABLE, "the engine is shutting down"));
    }
    StorageFault gone = failures.databaseGone();
    if (gone != null) {
      return Future.failedFuture(gone.toFailure());
    }
    if (!queue.reserve()) {
      return Future.failedFuture(new CommandFailure(ErrorCode.OVERLOADED,
          "writer queue is full (" + queue.capacity() + " commands waiting); retry later"));
    }
    Pending<T> pending = new Pending<>(write, Vertx.currentContext());
    context.runOnContext(v -> {
      if (drained != null && drained.future().isComplete()) {
        // raced with the end of the drain: the connection is about to close
        queue.release();
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
    events.addCommitListener(listener);
  }

  public void removeCommitListener(Runnable listener) {
    events.removeCommitListener(listener);
  }

  /** Adds an observer told about every transaction (the metrics; the bench's commit-time histogram). */
  public void addTransactionObserver(TransactionObserver observer) {
    events.addObserver(observer);
  }

  public void removeTransactionObserver(TransactionObserver observer) {
    events.removeObserver(observer);
  }

  /**
   * Why the writer's last write failed for a storage reason (a full disk, a read-only file system, the database file
   * deleted...), or null when it succeeded; readiness is down meanwhile. A fault clears with the next commit, except
   * a deleted or replaced database file, which stays until the engine is restarted on a restored one.
   */
  public StorageFault storageFault() {
    return failures.current();
  }

  /** Writes that failed for a storage reason with {@code code} ({@code STORAGE_FULL}, ...), for the metrics. */
  public long storageFaultCount(ErrorCode code) {
    return failures.count(code);
  }

  /** False once the writer has begun to shut down. */
  public boolean isAccepting() {
    return accepting;
  }

  /** Commands queued or in the transaction being written. */
  public int queueDepth() {
    return queue.depth();
  }

  public long commitCount() {
    return groupCommit.commitCount();
  }

  public long busyRetryCount() {
    return lock.retryCount();
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
          .eventually(() -> connection.blocking(() -> {
            connection.jdbc().close();
            return null;
          }))
          .eventually(connection.sql()::close)
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
    return connection.blocking(() -> {
      if (failures.databaseGone() == null) {
        try {
          databaseFile.verify();
        } catch (DatabaseFile.Replaced e) {
          failures.record(e);
        }
      }
      if (failures.databaseGone() == null) {
        connection.jdbc().execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      return null;
    });
  }

  /** The writer's loop, on its context: one batch at a time, the next one cut when the last is answered. */
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
    List<Pending<?>> batch = queue.nextBatch();
    Future<Void> written = batch.get(0).outsideTransaction() ? groupCommit.runAlone(batch.get(0)) : groupCommit.write(batch);
    written.onComplete(done -> {
      queue.written(batch);
      batchStartedNanos = 0;
      running = false;
      drain();
    });
  }
}
