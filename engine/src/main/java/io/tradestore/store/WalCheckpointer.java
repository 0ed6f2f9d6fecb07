package io.tradestore.store;

import io.tradestore.config.EngineConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * Copies the write-ahead log back into the database file in the background, so that the writer's commits seldom
 * have to.
 *
 * <p>Left to SQLite, the COMMIT that takes the log past {@code wal_autocheckpoint} pages (1,000) runs the checkpoint
 * itself: it writes those pages into the database file and syncs it, while every command in the writer's queue
 * waits: under load, slow commits a few times a second and a reply tail to match, which this checkpointer
 * removes (docs/performance.md, "Measurements behind design choices").
 *
 * <p>A PASSIVE checkpoint takes neither the write lock nor any other lock it would wait for: it copies what it can
 * and returns, so it never holds the writer up (it is not a second writer: it changes no rows, only where the
 * committed pages live). The writer keeps its own automatic checkpoint ({@code database.walAutocheckpointPages}),
 * which now finds almost everything copied. The log restarts from its beginning only when a write transaction
 * begins and finds it wholly copied; a pass every interval, with commits landing while it copies, almost never
 * leaves it so (measured: with the writer's own checkpoint turned off, the log grew without bound), so the writer's
 * checkpoint at its limit is what restarts it.
 *
 * <p>That commit still syncs and copies whatever the last background pass left: everything written since. Every
 * command that arrives meanwhile waits, so these few commits made a large part of the reply tail at partial load.
 * So once the log passes
 * {@value #CHASE_FROM_PERCENT}% of the writer's limit, each pass that copied something is followed by the next one
 * {@value #CHASE_INTERVAL_MS} ms later instead of an interval later: the writer's own checkpoint then finds only a
 * few milliseconds of log to sync, and often a pass catches the log up between two commits and it restarts with no
 * stall at all (docs/performance.md, "Measurements behind design choices").
 * {@value #CHASE_PASSES_WITHOUT_PROGRESS} passes in a row that copied nothing (the writer idle, or a reader holding
 * the older pages) end the chase, so an idle engine or a long read does not keep it spinning.
 */
public final class WalCheckpointer {
  private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
  private static final long WARN_EVERY_NANOS = 60_000_000_000L;
  static final int CHASE_FROM_PERCENT = 80;
  static final long CHASE_INTERVAL_MS = 2;
  static final int CHASE_PASSES_WITHOUT_PROGRESS = 3;

  private final Vertx vertx;
  private final WorkerExecutor executor;
  private final Connection connection;
  private final long timerId;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile boolean paused;
  private volatile boolean closed;
  private volatile LongConsumer observer = nanos -> { };
  private volatile long checkpoints;
  private volatile long uncopiedPages;
  private volatile long logPages;
  private final long chaseFromPages;
  /** Copied pages reported by the last pass, to tell whether the next one made progress. */
  private long lastCopied = -1;
  private int passesWithoutProgress;
  private volatile boolean chasing;
  private long lastWarned = System.nanoTime() - WARN_EVERY_NANOS;

  private WalCheckpointer(Vertx vertx, WorkerExecutor executor, Connection connection, long intervalMs,
                          long writerLimitPages) {
    this.chaseFromPages = writerLimitPages * CHASE_FROM_PERCENT / 100;
    this.vertx = vertx;
    this.executor = executor;
    this.connection = connection;
    this.timerId = vertx.setPeriodic(intervalMs, id -> tick());
  }

  /** Null when off: {@code checkpointIntervalMs} 0, or a journal mode other than WAL. */
  static WalCheckpointer start(Vertx vertx, EngineConfig.Database db) {
    if (db.checkpointIntervalMs() <= 0 || db.journalMode() != EngineConfig.JournalMode.WAL) {
      return null;
    }
    Connection connection;
    try {
      // the writer's settings: synchronous decides whether the checkpoint syncs the database file before the log
      // may be reused, which it must exactly as the writer's own checkpoint would
      connection = SqliteConnections.writer(db).getConnection();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open the checkpointer's connection: " + e.getMessage(), e);
    }
    return new WalCheckpointer(vertx, vertx.createSharedWorkerExecutor("sqlite-checkpointer", 1), connection,
        db.checkpointIntervalMs(), db.walAutocheckpointPages());
  }

  /** Called with the duration of every checkpoint, on the checkpointer's thread. */
  public void observe(LongConsumer durationNanos) {
    this.observer = durationNanos;
  }

  /**
   * Stops the background checkpoints until {@link #resume}; completes once none is running. Every checkpoint first
   * takes SQLite's checkpoint lock without waiting, so a {@code wal_checkpoint(TRUNCATE)} run meanwhile (the
   * maintenance's, the clean stop's) would find it taken and do nothing.
   */
  public Future<Void> pause() {
    paused = true;
    // the executor has one thread: this runs after any checkpoint already started
    return executor.executeBlocking(() -> null, false).mapEmpty();
  }

  public void resume() {
    paused = false;
  }

  /** Checkpoints run so far (not counting those that found the checkpoint lock taken). */
  public long checkpoints() {
    return checkpoints;
  }

  /** Pages in the log at the last checkpoint: it falls back to a few when the log restarts from its beginning. */
  public long logPages() {
    return logPages;
  }

  /** Pages in the log that the last checkpoint could not copy yet (readers still need them, or written since). */
  public long uncopiedPages() {
    return uncopiedPages;
  }

  private void tick() {
    if (paused || closed || !running.compareAndSet(false, true)) {
      return; // the last one is still copying: no queue of checkpoints behind a slow disk
    }
    executor.executeBlocking(() -> {
      checkpoint();
      return null;
    }, false).onComplete(done -> {
      running.set(false);
      if (chasing && !paused && !closed) {
        vertx.setTimer(CHASE_INTERVAL_MS, id -> tick());
      }
    });
  }

  private void checkpoint() {
    if (paused || closed) {
      return; // queued before a pause or the close
    }
    long started = System.nanoTime();
    chasing = false;
    try (Statement st = connection.createStatement();
         ResultSet result = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
      if (!result.next() || result.getInt(1) != 0 || result.getInt(2) < 0) {
        return; // the checkpoint lock was taken (by the writer's own checkpoint): nothing was done or learnt
      }
      long logPages = result.getInt(2);
      long copied = result.getInt(3);
      this.logPages = logPages;
      uncopiedPages = Math.max(0, logPages - copied);
      // a different count than the last pass's: it copied pages (or the log restarted and it copied its first ones)
      passesWithoutProgress = copied != lastCopied ? 0 : passesWithoutProgress + 1;
      lastCopied = copied;
      chasing = logPages >= chaseFromPages && passesWithoutProgress < CHASE_PASSES_WITHOUT_PROGRESS;
      checkpoints++;
      observer.accept(System.nanoTime() - started);
    } catch (SQLException e) {
      if (started - lastWarned >= WARN_EVERY_NANOS) {
        lastWarned = started;
        LOG.warn("background WAL checkpoint failed (the writer's own checkpoints still bound the log): {}", e.getMessage());
      }
    }
  }

  /** Stops the timer, lets a running checkpoint finish, closes the connection. */
  Future<Void> close() {
    closed = true;
    vertx.cancelTimer(timerId);
    return executor.executeBlocking(() -> {
      connection.close();
      return null;
    }, false).<Void>mapEmpty().eventually(executor::close);
  }
}
