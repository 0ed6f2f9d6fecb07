package io.tradestore.startup;

import io.tradestore.alert.AlertMetrics;
import io.tradestore.alert.AlertVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradestore.Addresses;
import io.tradestore.balance.BalanceVerticle;
import io.tradestore.book.TradingBook;
import io.tradestore.book.TradingDesk;
import io.tradestore.bridge.BridgeVerticle;
import io.tradestore.config.EngineConfig;
import io.tradestore.fill.FillVerticle;
import io.tradestore.housekeeping.HousekeepingVerticle;
import io.tradestore.housekeeping.RetentionCleanup;
import io.tradestore.metrics.CommandMetrics;
import io.tradestore.metrics.DomainGaugeVerticle;
import io.tradestore.metrics.DomainMetrics;
import io.tradestore.metrics.MaintenanceMetrics;
import io.tradestore.metrics.OpsHttpVerticle;
import io.tradestore.metrics.StoreMetrics;
import io.tradestore.order.OrderVerticle;
import io.tradestore.outbox.FinishedEvents;
import io.tradestore.outbox.OutboxFeed;
import io.tradestore.outbox.OutboxVerticle;
import io.tradestore.position.PositionVerticle;
import io.tradestore.quote.MarkPrices;
import io.tradestore.quote.QuoteVerticle;
import io.tradestore.security.AccessTokens;
import io.tradestore.security.TokensFile;
import io.tradestore.statement.StatementVerticle;
import io.tradestore.store.CleanStop;
import io.tradestore.store.EngineLock;
import io.tradestore.store.IntegrityCheck;
import io.tradestore.store.SqliteFiles;
import io.tradestore.store.StorageFault;
import io.tradestore.store.StoragePreflight;
import io.tradestore.store.Store;
import io.tradestore.store.WalRecoveryReport;
import io.tradestore.store.migration.MigrationLocations;
import io.tradestore.store.migration.MigrationReport;
import io.tradestore.store.migration.MigrationRunner;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Brings the engine up in order, and down in the reverse order: take the engine lock, check the database file,
 * migrate its schema, open the store, then deploy the verticles that serve commands, the HTTP endpoint and, last, the bridge that
 * lets other processes in. Any failing step fails the deployment: the engine never runs half-started.
 */
public final class StartupVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(StartupVerticle.class);
  /** How often the orders-by-status and open-positions gauges are read from the database. */
  private static final long DOMAIN_GAUGE_PERIOD_MS = 5_000;

  private final EngineConfig config;
  private final PrometheusMeterRegistry registry;
  private final Deque<String> deployments = new ArrayDeque<>();
  private Store store;
  private EngineLock lock;
  private WorkerExecutor maintenance;
  private Future<Void> stopping;
  private HousekeepingVerticle housekeeping;
  private TradingBook book;
  private OpsHttpVerticle http;
  private int schemaVersion;
  private AccessTokens tokens;

  public StartupVerticle(EngineConfig config, PrometheusMeterRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    long begin = System.nanoTime();
    Instant startedAt = Instant.now();
    // integrity checks and migrations may run for minutes on a large file: not on the event-loop's worker pool
    maintenance = vertx.createSharedWorkerExecutor("tradestore-startup", 1, 30, TimeUnit.MINUTES);
    // The lock early: an engine that finds the database taken must leave it exactly as it is (no clean-stop
    // marker consumed, no backup, no migration), or a second engine with newer files would migrate the schema
    // under the running one. The migrations below run under this lock; MigrationRunner takes none of its own.
    return step("access tokens", () -> maintenance.executeBlocking(() -> {
          // before anything else: a policy that does not read must not leave an engine open to everyone
          tokens = config.security().tokensFile() == null ? null : TokensFile.read(config.security().tokensFile());
          return null;
        }))
        // before the lock, whose file is the first thing written: only looks, and names a read-only file, folder or mount
        .compose(v -> step("storage check", () -> maintenance.executeBlocking(() -> {
          StoragePreflight.check(config.database().path());
          return null;
        })))
        .compose(v -> step("engine lock", () -> maintenance.executeBlocking(() -> {
          lock = EngineLock.acquire(config.database().path());
          return null;
        })))
        // under the lock (no other engine or migrator writes the log meanwhile) and before the integrity check,
        // whose connection is the first to open the database and so runs SQLite's recovery of the log
        .compose(v -> step("write-ahead log check", () -> maintenance.executeBlocking(() -> {
          reportWalRecovery();
          return null;
        })))
        .compose(v -> step("integrity check", () -> maintenance.executeBlocking(() -> {
          SqliteFiles.warnIfReadableByOthers(config.database().path());
          checkIntegrity();
          return null;
        })))
        .compose(v -> step("migrations", () -> maintenance.executeBlocking(this::migrate)))
        .compose(v -> step("store", () -> Store.open(vertx, config)))
        .compose(opened -> {
          store = opened;
          StoreMetrics.bind(registry, store, schemaVersion);
          MaintenanceMetrics.of(registry);
          return config.http().enabled()
              ? step("HTTP endpoint", () -> deploy(http = new OpsHttpVerticle(config.http(), tokens, registry, readiness())))
              : Future.succeededFuture();
        })
        .compose(v -> {
          MarkPrices marks = new MarkPrices(config.quotes().markTtlMs());
          Clock clock = Clock.systemUTC();
          OutboxFeed feed = new OutboxFeed();
          FinishedEvents finished = new FinishedEvents();
          book = new TradingBook(clock, feed, marks, new AlertMetrics(registry));
          TradingDesk desk = new TradingDesk(store.writer(), book);
          CommandMetrics commands = new CommandMetrics(registry);
          return step("engine verticles", () -> deploy(new EngineInfoVerticle(store, startedAt))
              .compose(x -> deploy(new QuoteVerticle(store, desk, marks, clock, DomainMetrics.of(registry)::quotesExpired, commands)))
              .compose(x -> deploy(new OrderVerticle(store, desk, clock, commands)))
              .compose(x -> deploy(new FillVerticle(store, desk, marks, clock, commands)))
              .compose(x -> deploy(new PositionVerticle(store, marks, clock, commands)))
              .compose(x -> deploy(new BalanceVerticle(store, clock, commands)))
              .compose(x -> deploy(new StatementVerticle(store, commands)))
              .compose(x -> deploy(new AlertVerticle(store.readers(), desk, clock, commands)))
              .compose(x -> deploy(new DomainGaugeVerticle(store, DomainMetrics.of(registry), DOMAIN_GAUGE_PERIOD_MS))))
              .compose(x -> step("outbox", () -> deploy(new OutboxVerticle(store, config.outbox(), clock, registry, commands, feed, finished))))
              .compose(x -> step("housekeeping", () -> deploy(housekeeping = new HousekeepingVerticle(config, store, book, finished,
                  clock, housekeepingMetrics()))));
        })
        .compose(v -> config.bridge().enabled()
            ? step("event-bus bridge", () -> deploy(new BridgeVerticle(config.bridge(), tokens, registry)))
            : Future.succeededFuture())
        .onSuccess(v -> LOG.info("tradestore {} ready in {} ms (database {}, schema version {}, transport {})",
            EngineVersion.get(), (System.nanoTime() - begin) / 1_000_000, config.database().path().toAbsolutePath(),
            schemaVersion, Engine.transportName(vertx)))
        .recover(err -> shutdown().transform(x -> Future.failedFuture(err)));
  }

  /** Vert.x has already undeployed the children when this runs; {@link #shutdown()} did the ordered work. */
  @Override
  public Future<?> stop() {
    return shutdown();
  }

  /**
   * The ordered stop: stop taking commands (bridge first, then the serving verticles, in reverse order of
   * deployment, the HTTP endpoint last), let the writer commit and answer what is queued, checkpoint the WAL,
   * close the database, release the engine lock. Safe to call more than once.
   */
  public synchronized Future<Void> shutdown() {
    if (stopping != null) {
      return stopping;
    }
    LOG.info("shutting down");
    long begin = System.nanoTime();
    Future<Void> chain = Future.succeededFuture();
    while (!deployments.isEmpty()) {
      String id = deployments.pop();
      chain = chain.compose(v -> vertx.undeploy(id).otherwiseEmpty());
    }
    stopping = chain
        .compose(v -> store == null ? Future.<Void>succeededFuture() : store.close().andThen(closed -> {
          if (closed.succeeded()) {
            recordCleanStop();
          }
        }))
        .eventually(() -> {
          if (lock != null) {
            lock.close();
          }
          if (maintenance != null) {
            maintenance.close();
          }
          return Future.succeededFuture();
        })
        .onComplete(x -> LOG.info("stopped in {} ms", (System.nanoTime() - begin) / 1_000_000));
    return stopping;
  }

  /**
   * Says what SQLite's recovery is about to drop of a log left by a crash, which SQLite itself does silently: WARN
   * when commits are among it (restore, if clients were told they succeeded), INFO otherwise.
   */
  private void reportWalRecovery() {
    WalRecoveryReport report = WalRecoveryReport.read(WalRecoveryReport.walOf(config.database().path()));
    // the setting of the run that crashed is not recorded anywhere; this one's is the best guess
    boolean commitsSynced = config.database().synchronous() == EngineConfig.Synchronous.FULL;
    StoreMetrics.walRecovery(registry, report, commitsSynced);
    if (report.losesAcknowledgedCommits(commitsSynced)) {
      LOG.warn(report.describe(commitsSynced));
    } else if (report.hasFrames()) {
      LOG.info(report.describe(commitsSynced));
    }
  }

  /** The startup integrity check, skipped when the last stop was clean and the file is untouched since ({@link CleanStop}). */
  private void checkIntegrity() throws java.io.IOException {
    java.nio.file.Path file = config.database().path();
    java.util.Optional<String> cleanStop = CleanStop.consume(file); // always removed: a crash from here leaves none
    EngineConfig.IntegrityCheck mode = config.maintenance().integrityCheckAtStartup();
    if (mode != EngineConfig.IntegrityCheck.OFF && cleanStop.isPresent() && !config.maintenance().integrityCheckAfterCleanStop()) {
      LOG.info("integrity check skipped: the database is as the clean stop of {} left it", cleanStop.get());
      return;
    }
    IntegrityCheck.run(config.database(), mode);
  }

  private void recordCleanStop() {
    try {
      CleanStop.record(config.database().path());
    } catch (java.io.IOException | RuntimeException e) {
      LOG.warn("could not record the clean stop ({}); the next start runs the integrity check", e.toString());
    }
  }

  /** The bound HTTP port, or -1 when the endpoint is off. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  public Store store() {
    return store;
  }

  /** Retention, maintenance and backups report to the metrics. */
  private HousekeepingVerticle.Listener housekeepingMetrics() {
    MaintenanceMetrics metrics = MaintenanceMetrics.of(registry);
    metrics.retentionTables(RetentionCleanup.TABLES);
    return new HousekeepingVerticle.Listener() {
      @Override
      public void retentionRemoved(String table, long rows) {
        metrics.retentionRowsRemoved(table, rows);
      }

      @Override
      public void maintenanceDone(long atMillis) {
        metrics.maintenanceSucceeded(Instant.ofEpochMilli(atMillis));
      }

      @Override
      public void backupDone(long atMillis) {
        metrics.backupSucceeded(Instant.ofEpochMilli(atMillis));
      }
    };
  }

  /** The orders, fills and positions the writer keeps in memory. */
  public TradingBook book() {
    return book;
  }

  /** Retention, maintenance and backups (tests and operators may run them now). */
  public HousekeepingVerticle housekeeping() {
    return housekeeping;
  }

  private Void migrate() {
    // the same files `migrate` reads, so that a file it applied from ./migrations does not stop the start
    MigrationRunner runner = new MigrationRunner(config.database(), config.migrations(),
        MigrationLocations.of(config.migrations().location(), null).resolver());
    if (config.migrations().autoMigrate()) {
      MigrationReport report = runner.migrate();
      schemaVersion = report.toVersion();
      StoreMetrics.migrations(registry, report.applied());
      return null;
    }
    runner.verify();
    int pending = runner.pendingCount();
    if (pending > 0) {
      throw new IllegalStateException(pending + " migration(s) pending and migrations.autoMigrate is off: "
          + "back up, then run `java -jar tradestore.jar migrate up` (docs/operations.md)");
    }
    schemaVersion = runner.currentVersion();
    StoreMetrics.migrations(registry, List.of());
    return null;
  }

  private Future<String> deploy(Deployable verticle) {
    return vertx.deployVerticle(verticle).onSuccess(deployments::push);
  }

  /** Ready = the database answers, in the configured journal mode, with foreign keys on, at the schema we migrated to. */
  private HealthChecks readiness() {
    return HealthChecks.create(vertx)
        .register("database", promise -> store.describe().onComplete(described -> {
          if (described.failed()) {
            promise.complete(Status.KO(new JsonObject().put("error", String.valueOf(described.cause().getMessage()))));
            return;
          }
          JsonObject data = described.result();
          boolean ok = config.database().journalMode().name().equalsIgnoreCase(data.getString("journalMode"))
              && data.getBoolean("foreignKeys")
              && data.getInteger("schemaVersion") == schemaVersion;
          promise.complete(new Status().setOk(ok).setData(data.put("expectedSchemaVersion", schemaVersion)));
        }))
        .register("outbox", promise -> vertx.eventBus().<JsonObject>request(Addresses.OUTBOX_STATUS, new JsonObject().put("limit", 10).put("finished", false))
            .onComplete(answer -> {
              if (answer.failed()) {
                promise.complete(Status.KO(new JsonObject().put("error", String.valueOf(answer.cause().getMessage()))));
                return;
              }
              JsonObject status = answer.result().body();
              Long age = status.getLong("oldestPendingAgeMs");
              long blocked = status.getJsonObject("counts").getLong("BLOCKED");
              boolean ok = (age == null || age <= config.outbox().healthMaxPendingAgeMs())
                  && (blocked == 0 || config.outbox().healthTolerateBlocked());
              promise.complete(new Status().setOk(ok).setData(status));
            }))
        // informative only: when retention, maintenance and backups last ran, and their last errors
        .register("housekeeping", promise -> promise.complete(Status.OK(
            housekeeping == null ? new JsonObject() : housekeeping.lastRuns())))
        // a transaction running for seconds means the writer is stuck (or the lock is held elsewhere); a storage
        // fault (disk full, read-only, file deleted) means writes fail until it is fixed
        .register("writer", promise -> {
          StorageFault fault = store.writer().storageFault();
          promise.complete(new Status()
              .setOk(store.writer().isAccepting() && store.writer().currentBatchMillis() < 10_000 && fault == null)
              .setData(new JsonObject().put("queueDepth", store.writer().queueDepth())
                  .put("currentTransactionMillis", store.writer().currentBatchMillis())
                  .put("storageFault", fault == null ? null : fault.toJson())));
        });
  }

  private <T> Future<T> step(String name, Supplier<Future<T>> action) {
    long begin = System.nanoTime();
    Future<T> result;
    try {
      result = action.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result
        .onSuccess(r -> LOG.info("startup: {} done in {} ms", name, (System.nanoTime() - begin) / 1_000_000))
        .onFailure(err -> LOG.error("startup: {} failed: {}", name, err.getMessage()));
  }
}
