package io.tradestore.housekeeping;

import io.tradestore.Times;
import io.tradestore.book.TradingBook;
import io.tradestore.config.EngineConfig;
import io.tradestore.outbox.FinishedEvents;
import io.tradestore.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Keeps the database healthy over months of running: retention at startup and on its schedule, maintenance
 * (optimize, vacuum, checkpoint) and scheduled backups on theirs. Runs of one kind never overlap; a failed run
 * is logged and tried again at the next period. The last run of each is reported in readiness details.
 */
public final class HousekeepingVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HousekeepingVerticle.class);

  /** Told about each successful run (metrics). */
  public interface Listener {
    default void retentionRemoved(String table, long rows) { }

    default void maintenanceDone(long atMillis) { }

    default void backupDone(long atMillis) { }
  }

  private final EngineConfig config;
  private final Store store;
  private final TradingBook book;
  private final FinishedEvents finishedEvents;
  private final Clock clock;
  private final Listener listener;
  private final JsonObject last = new JsonObject();
  private RetentionCleanup retention;
  private DatabaseMaintenance maintenance;
  private ScheduledBackups backups;
  private WorkerExecutor backupWorker;
  private boolean retentionRunning;
  private boolean maintenanceRunning;
  private boolean backupRunning;

  public HousekeepingVerticle(EngineConfig config, Store store, TradingBook book, FinishedEvents finishedEvents,
                              Clock clock, Listener listener) {
    this.config = config;
    this.store = store;
    this.book = book;
    this.finishedEvents = finishedEvents;
    this.clock = clock;
    this.listener = listener;
  }

  @Override
  public Future<?> start() {
    BiConsumer<String, Long> removed = listener::retentionRemoved;
    retention = new RetentionCleanup(vertx, store, config.retention(), clock, removed).forgetting(book).purging(finishedEvents);
    maintenance = new DatabaseMaintenance(store);
    backups = new ScheduledBackups(config.database(), config.backup());
    backupWorker = vertx.createSharedWorkerExecutor("tradestore-backup", 1, 1, TimeUnit.HOURS);
    // retention also runs right away, without holding up startup: a big first cleanup must not delay serving
    if (config.retention().atStartup()) {
      vertx.setTimer(1, id -> runRetention());
    }
    vertx.setPeriodic(minutes(config.retention().intervalMinutes()), id -> runRetention());
    vertx.setPeriodic(minutes(config.maintenance().intervalMinutes()), id -> runMaintenance());
    if (config.backup().intervalMinutes() > 0) {
      vertx.setPeriodic(minutes(config.backup().intervalMinutes()), id -> runBackup());
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return backupWorker.close();
  }

  /** The last run of each job, for readiness details. */
  public synchronized JsonObject lastRuns() {
    return last.copy();
  }

  private synchronized void remember(String job, JsonObject outcome) {
    last.put(job, outcome);
  }

  /** Runs retention now (on this verticle's context, whoever calls). */
  public Future<RetentionCleanup.Report> runRetention() {
    return onContext(() -> once(() -> retentionRunning, v -> retentionRunning = v, "retention", () -> retention.run()
        .onSuccess(report -> remember("retention", new JsonObject().put("at", Times.iso(clock.millis()))
            .put("removed", new JsonObject(new java.util.HashMap<>(report.removed())))))));
  }

  public Future<JsonObject> runMaintenance() {
    return onContext(() -> once(() -> maintenanceRunning, v -> maintenanceRunning = v, "maintenance", () -> maintenance.run()
        .onSuccess(result -> {
          long at = clock.millis();
          remember("maintenance", result.copy().put("at", Times.iso(at)));
          listener.maintenanceDone(at);
        })));
  }

  public Future<String> runBackup() {
    return onContext(() -> once(() -> backupRunning, v -> backupRunning = v, "backup", () -> backupWorker
        .executeBlocking(() -> backups.run(clock.instant()).toString())
        .onSuccess(path -> {
          long at = clock.millis();
          remember("backup", new JsonObject().put("at", Times.iso(at)).put("file", path));
          listener.backupDone(at);
        })));
  }

  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    io.vertx.core.Promise<T> result = io.vertx.core.Promise.promise();
    context.runOnContext(v -> action.get().onComplete(result));
    return result.future();
  }

  private <T> Future<T> once(Supplier<Boolean> running, java.util.function.Consumer<Boolean> setRunning, String name,
                             Supplier<Future<T>> job) {
    if (running.get()) {
      return Future.failedFuture(new IllegalStateException(name + " is already running"));
    }
    setRunning.accept(true);
    Future<T> outcome;
    try {
      outcome = job.get();
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    return outcome
        .onFailure(err -> {
          LOG.warn("{} failed: {}", name, err.getMessage());
          remember(name + "Error", new JsonObject().put("at", Times.iso(clock.millis())).put("error", err.getMessage()));
        })
        .onComplete(x -> setRunning.accept(false));
  }

  private static long minutes(int minutes) {
    return minutes * 60_000L;
  }
}
