package io.tradestore.housekeeping;

import io.tradestore.store.Store;
import io.tradestore.store.WalCheckpointer;
import io.tradestore.store.Write;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a long-running database lean, on the writer's own connection between two batches (never a second
 * connection fighting for the lock): {@code PRAGMA optimize} (statistics for the planner), incremental vacuum
 * (free pages given back, when the database was created with {@code auto_vacuum=INCREMENTAL}, as the engine
 * creates it), and a {@code wal_checkpoint(TRUNCATE)} so the WAL cannot grow without bound.
 */
public final class DatabaseMaintenance {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseMaintenance.class);

  private final Store store;

  public DatabaseMaintenance(Store store) {
    this.store = store;
  }

  private static Future<Integer> freeList(SqlConnection c) {
    return c.query("PRAGMA freelist_count").execute().map(rows -> rows.iterator().next().getInteger(0));
  }

  /**
   * Through the JDBC client each {@code incremental_vacuum} statement is stepped once and may release only part of
   * the free list, so it is repeated while the list keeps shrinking; at most {@code rounds} times per unit, so
   * that commands queued meanwhile are not held back for long.
   */
  private static Future<Integer> vacuumSome(SqlConnection c, int free, int rounds) {
    if (free == 0 || rounds == 0) {
      return Future.succeededFuture(free);
    }
    return c.query("PRAGMA incremental_vacuum(1000)").execute()
        .compose(v -> freeList(c))
        .compose(left -> left < free ? vacuumSome(c, left, rounds - 1) : Future.succeededFuture(left));
  }

  /** Releases free pages unit by unit through the writer until none are left or no progress is made. */
  private Future<Integer> vacuum(int freed, int free) {
    if (free == 0) {
      return Future.succeededFuture(freed);
    }
    return store.writer().submit(Write.outsideTransaction(c -> vacuumSome(c, free, 32))).compose(left ->
        left < free ? vacuum(freed + free - left, left) : Future.succeededFuture(freed));
  }

  /**
   * With the background checkpointer paused: a checkpoint takes SQLite's checkpoint lock without waiting, so one
   * running beside this would make it do nothing.
   */
  private Future<JsonObject> truncateWal(int freed) {
    WalCheckpointer background = store.checkpointer();
    Future<Void> paused = background == null ? Future.succeededFuture() : background.pause();
    return paused.compose(v -> store.writer().submit(Write.outsideTransaction(c -> c.query("PRAGMA wal_checkpoint(TRUNCATE)").execute()
            .map(rows -> {
              Row r = rows.iterator().next();
              return new JsonObject()
                  .put("checkpointBusy", r.getInteger(0) == 1)
                  .put("walFrames", r.getInteger(1))
                  .put("checkpointedFrames", r.getInteger(2))
                  .put("freedPages", freed);
            }))))
        .andThen(x -> {
          if (background != null) {
            background.resume();
          }
        });
  }

  /** Runs the three steps; answers what the checkpoint and the vacuum did. */
  public Future<JsonObject> run() {
    long begin = System.nanoTime();
    // three separate units on the writer, so a command queued meanwhile waits for one of them, not for all
    return store.writer().submit(Write.outsideTransaction(c -> c.query("PRAGMA optimize").execute()
            .compose(v -> c.query("PRAGMA auto_vacuum").execute())
            .compose(mode -> mode.iterator().next().getInteger(0) == 2 ? freeList(c) : Future.succeededFuture(0))))
        .compose(free -> vacuum(0, free))
        .compose(freed -> truncateWal(freed))
        .map(result -> {
          result.put("durationMs", (System.nanoTime() - begin) / 1_000_000);
          LOG.info("maintenance: optimize, {} free page(s) released, checkpoint {} ({} of {} WAL frames) in {} ms",
              result.getInteger("freedPages"), result.getBoolean("checkpointBusy") ? "partial (readers busy)" : "complete",
              result.getInteger("checkpointedFrames"), result.getInteger("walFrames"), result.getLong("durationMs"));
          return result;
        });
  }
}
