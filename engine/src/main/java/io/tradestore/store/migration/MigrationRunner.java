package io.tradestore.store.migration;

import io.tradestore.config.EngineConfig;

import java.time.Clock;
import java.util.List;

/**
 * Applies, checks and rolls back the schema migrations of one database: the facade over one class per verb
 * ({@link MigrateUp}, {@link MigrateDryRun}, {@link MigrateDown}, {@link MigrateVerify}, {@link MigrationInfo},
 * with {@link MigrationAdoption} for legacy databases), as Flyway's verbs sit behind {@code Flyway}. Plain JDBC
 * and blocking: the engine calls it from {@code executeBlocking}, the {@code migrate} command directly.
 *
 * <p>How it stays correct when several processes start at once: every change is its own transaction opened with
 * {@code BEGIN IMMEDIATE}, which takes SQLite's write lock (an OS file lock, released if the process dies, so it
 * can never go stale), and re-reads the history under it ({@link MigrationTransactions}).
 *
 * <p>It takes no {@link io.tradestore.store.EngineLock} itself: whoever changes the schema through it holds one
 * for the whole run, the engine its exclusive lock (taken before anything reads the file), {@code migrate up} and
 * {@code down} a shared one. A JVM cannot hold two overlapping locks on one file, so a runner that locked on its
 * own could not run inside the engine that already holds the exclusive one.
 */
public final class MigrationRunner {
  private final MigrationContext context;

  /** On the files of {@code settings.location()}, as the engine's start runs it. */
  public MigrationRunner(EngineConfig.Database db, EngineConfig.Migrations settings) {
    this(db, settings, new MigrationResolver(settings.location()));
  }

  /** @param files the migrations to work on in place of {@code settings.location()}'s ({@link MigrationLocations}) */
  public MigrationRunner(EngineConfig.Database db, EngineConfig.Migrations settings, MigrationResolver files) {
    this.context = new MigrationContext(db, settings, files, BusyRetry.DEFAULT, Clock.systemUTC(), "");
  }

  MigrationRunner(EngineConfig.Database db, EngineConfig.Migrations settings, String locationOverride,
                  BusyRetry retry, Clock clock) {
    this.context = new MigrationContext(db, settings,
        new MigrationResolver(locationOverride != null ? locationOverride : settings.location()), retry, clock, "");
  }

  public String location() {
    return context.location();
  }

  public MigrationReport migrate() {
    return migrate(null);
  }

  /**
   * Validates, then applies every pending file up to {@code targetVersion} (null: all), each in its own
   * transaction, after a backup when the database holds data. Running it again does nothing.
   */
  public MigrationReport migrate(Integer targetVersion) {
    return new MigrateUp(context).run(targetVersion);
  }

  /** What {@code migrate(targetVersion)} would do, found by doing it on a scratch copy; the database is only read. */
  public MigrationReport dryRun(Integer targetVersion) {
    return new MigrateDryRun(context).run(targetVersion);
  }

  /** Rolls back the last {@code steps} applied files, newest first, each in its own transaction. */
  public MigrationReport down(int steps) {
    return new MigrateDown(context).run(steps);
  }

  /** One row per file and per applied version without a file, by version. Does not lint or validate. */
  public List<MigrationStatus> status() {
    return new MigrationInfo(context).status();
  }

  /** Every check a start makes, without writing; throws naming every problem found. */
  public void verify() {
    new MigrateVerify(context).run();
  }

  /** The max applied version (for a database not yet adopted: its legacy version), 0 for an empty database. */
  public int currentVersion() {
    return new MigrationInfo(context).currentVersion();
  }

  /** How many files {@code migrate()} would apply; throws when validation fails. */
  public int pendingCount() {
    return new MigrationInfo(context).pendingCount();
  }
}
