package io.tradestore.store.migration;

import io.tradestore.config.EngineConfig;
import io.tradestore.store.DatabaseBackup;
import io.tradestore.store.SqliteBusy;
import io.tradestore.store.SqliteConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Applies, checks and rolls back the schema migrations of one database. Plain JDBC and blocking: the engine calls
 * it from {@code executeBlocking}, the {@code migrate} command directly.
 *
 * <p>How it stays correct when several processes start at once: every change is its own transaction opened with
 * {@code BEGIN IMMEDIATE}, which takes SQLite's write lock (an OS file lock, released if the process dies, so it
 * can never go stale). Inside it the history is read again and the file applied only if still absent; the
 * history row and {@code user_version} are written in the same transaction, so a file is either applied and
 * recorded or neither. Connections stay in autocommit mode and transactions are sent as SQL, because sqlite-jdbc
 * in manual-commit mode takes the write lock again right after every commit.
 *
 * <p>It takes no {@link io.tradestore.store.EngineLock} itself: whoever changes the schema through it holds one
 * for the whole run, the engine its exclusive lock (taken before anything reads the file), {@code migrate up} and
 * {@code down} a shared one. A JVM cannot hold two overlapping locks on one file, so a runner that locked on its
 * own could not run inside the engine that already holds the exclusive one.
 */
public final class MigrationRunner {
  private static final Logger LOG = LoggerFactory.getLogger(MigrationRunner.class);
  private static final DateTimeFormatter BACKUP_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final EngineConfig.Database db;
  private final EngineConfig.Migrations settings;
  private final MigrationResolver resolver;
  private final BusyRetry retry;
  private final Clock clock;
  /** "" for a real run; "dry run: " on the scratch copy, so that its log lines are not read as real changes. */
  private final String logPrefix;

  /** On the files of {@code settings.location()}, as the engine's start runs it. */
  public MigrationRunner(EngineConfig.Database db, EngineConfig.Migrations settings) {
    this(db, settings, new MigrationResolver(settings.location()));
  }

  /** @param files the migrations to work on in place of {@code settings.location()}'s ({@link MigrationLocations}) */
  public MigrationRunner(EngineConfig.Database db, EngineConfig.Migrations settings, MigrationResolver files) {
    this(db, settings, files, BusyRetry.DEFAULT, Clock.systemUTC(), "");
  }

  MigrationRunner(EngineConfig.Database db, EngineConfig.Migrations settings, String locationOverride,
                  BusyRetry retry, Clock clock) {
    this(db, settings, new MigrationResolver(locationOverride != null ? locationOverride : settings.location()),
        retry, clock, "");
  }

  private MigrationRunner(EngineConfig.Database db, EngineConfig.Migrations settings, MigrationResolver files,
                          BusyRetry retry, Clock clock, String logPrefix) {
    this.logPrefix = logPrefix;
    this.db = db;
    this.settings = settings;
    this.resolver = files;
    this.retry = retry;
    this.clock = clock;
  }

  public String location() {
    return resolver.location();
  }

  public MigrationReport migrate() {
    return migrate(null);
  }

  /**
   * Validates, then applies every pending file up to {@code targetVersion} (null: all), each in its own
   * transaction, after a backup when the database holds data. Running it again does nothing.
   */
  public MigrationReport migrate(Integer targetVersion) {
    List<MigrationFile> files = resolveAndLint();
    int target = checkTarget(targetVersion, files);
    try (Connection c = open()) {
      DatabaseState state = retry.run("reading the migration history", db.busyTimeoutMs(), () -> DatabaseState.read(c));
      validate(files, state, false);
      int from = state.currentVersion();
      if (from > target) {
        throw new MigrationException("the database is at version " + from + ", above the target " + target
            + "; use migrate down to go back");
      }
      if (!state.hasHistory()) {
        retry.run("creating the migration history", db.busyTimeoutMs(), () -> createOrAdoptHistory(c, files));
        state = retry.run("reading the migration history", db.busyTimeoutMs(), () -> DatabaseState.read(c));
      }
      Run run = new Run();
      try {
        // Only files pending now take the write lock; one applied meanwhile by another process is skipped inside.
        for (MigrationFile file : pending(files, state, target)) {
          retry.run("applying " + file.fileName(), db.busyTimeoutMs(), () -> applyUp(c, files, file, run));
        }
      } catch (RuntimeException e) {
        throw stoppedAt(e, c, from, run, run.applied.isEmpty() ? from : run.applied.get(run.applied.size() - 1).version());
      }
      int to = MigrationHistory.maxVersion(MigrationHistory.read(c));
      if (run.applied.isEmpty()) {
        LOG.info("{}database {} is up to date at version {}", logPrefix, db.path(), to);
      }
      return new MigrationReport(from, to, run.applied, run.backup);
    } catch (SQLException e) {
      throw new MigrationException("migrating " + db.path() + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Applies the pending files to a scratch copy of the database (taken with {@code VACUUM INTO}) and reports
   * what a real run would; the database itself is only read.
   */
  public MigrationReport dryRun(Integer targetVersion) {
    resolveAndLint();
    Path scratchDir;
    try {
      scratchDir = Files.createTempDirectory("tradestore-dry-run-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a scratch directory for the dry run: " + e.getMessage(), e);
    }
    try {
      Path scratch = scratchDir.resolve("scratch.db");
      if (Files.exists(db.path())) {
        try (Connection live = openReadOnly()) {
          DatabaseBackup.vacuumInto(live, scratch);
        } catch (SQLException e) {
          throw new MigrationException("dry run: cannot copy " + db.path() + " to a scratch database: " + e.getMessage(), e);
        }
      }
      EngineConfig.Migrations scratchSettings =
          new EngineConfig.Migrations(resolver.location(), false, false, scratchDir);
      MigrationRunner onScratch = new MigrationRunner(db.withPath(scratch), scratchSettings, resolver, retry, clock, "dry run: ");
      try {
        return onScratch.migrate(targetVersion);
      } catch (MigrationRunException e) {
        throw new MigrationRunException("dry run failed: " + e.getMessage(), e, e.report());
      } catch (MigrationException e) {
        throw new MigrationException("dry run failed: " + e.getMessage(), e);
      }
    } finally {
      deleteRecursively(scratchDir);
    }
  }

  /**
   * Runs the down parts of the last {@code steps} applied files, newest first, each in its own transaction with
   * the removal of its history row. Refuses before anything runs if one of them has no down part or is a
   * baseline (adopted, never run by this runner, so its down part was never tested against this database).
   */
  public MigrationReport down(int steps) {
    if (steps < 1) {
      throw new MigrationException("down needs a number of steps of at least 1, not " + steps);
    }
    List<MigrationFile> files = resolveAndLint();
    try (Connection c = open()) {
      DatabaseState state = retry.run("reading the migration history", db.busyTimeoutMs(), () -> DatabaseState.read(c));
      validate(files, state, false);
      if (state.isLegacy()) {
        throw new MigrationException("the database has not been adopted yet (legacy schema_version); run migrate up first");
      }
      List<HistoryRow> newestFirst = state.history().stream()
          .sorted(Comparator.comparingInt(HistoryRow::version).reversed()).toList();
      if (newestFirst.size() < steps) {
        throw new MigrationException("cannot roll back " + steps + " migration(s): only " + newestFirst.size() + " applied");
      }
      Map<Integer, MigrationFile> byVersion = new HashMap<>();
      files.forEach(f -> byVersion.put(f.version(), f));
      List<MigrationFile> toRollBack = new ArrayList<>();
      List<String> withoutDown = new ArrayList<>();
      for (HistoryRow row : newestFirst.subList(0, steps)) {
        if (row.isBaseline()) {
          throw new MigrationException("cannot roll back version " + row.version() + " (" + row.name() + "): it is a "
              + "BASELINE, adopted from a legacy database, and the runner never goes below its baseline; nothing was "
              + "rolled back");
        }
        MigrationFile file = byVersion.get(row.version());
        if (!file.hasDown()) {
          withoutDown.add(file.fileName());
        }
        toRollBack.add(file);
      }
      if (!withoutDown.isEmpty()) {
        throw new MigrationException("cannot roll back: " + String.join(", ", withoutDown)
            + " has an empty down part; nothing was rolled back");
      }
      int from = state.appliedVersion();
      Run run = new Run();
      try {
        for (MigrationFile file : toRollBack) {
          retry.run("rolling back " + file.fileName(), db.busyTimeoutMs(), () -> applyDown(c, files, file, run));
        }
      } catch (RuntimeException e) {
        int rolledBack = run.applied.size();
        throw stoppedAt(e, c, from, run, rolledBack < newestFirst.size() ? newestFirst.get(rolledBack).version() : 0);
      }
      return new MigrationReport(from, MigrationHistory.maxVersion(MigrationHistory.read(c)), run.applied, run.backup);
    } catch (SQLException e) {
      throw new MigrationException("rolling back " + db.path() + " failed: " + e.getMessage(), e);
    }
  }

  /** One row per file and per applied version without a file, by version. Does not lint or validate. */
  public List<MigrationStatus> status() {
    List<MigrationFile> files = resolver.resolve();
    DatabaseState state = readStateReadOnly();
    Map<Integer, HistoryRow> applied = new HashMap<>();
    state.history().forEach(r -> applied.put(r.version(), r));
    List<MigrationStatus> rows = new ArrayList<>();
    for (MigrationFile f : files) {
      HistoryRow row = applied.get(f.version());
      if (row == null) {
        rows.add(new MigrationStatus(f.version(), f.name(), MigrationStatus.State.PENDING, f.checksum(), null, null));
      } else {
        MigrationStatus.State s = !row.checksum().equals(f.checksum()) ? MigrationStatus.State.CHANGED
            : row.isBaseline() ? MigrationStatus.State.BASELINE : MigrationStatus.State.APPLIED;
        rows.add(new MigrationStatus(f.version(), f.name(), s, f.checksum(), row.appliedAt(), row.durationMs()));
      }
    }
    for (HistoryRow row : state.history()) {
      if (files.stream().noneMatch(f -> f.version() == row.version())) {
        rows.add(new MigrationStatus(row.version(), row.name(), MigrationStatus.State.MISSING, row.checksum(),
            row.appliedAt(), row.durationMs()));
      }
    }
    rows.sort(Comparator.comparingInt(MigrationStatus::version));
    return rows;
  }

  /**
   * Every check a start makes, without writing: files parse and pass lint, the history matches them, and a
   * legacy database would be adopted. Throws naming every problem found.
   */
  public void verify() {
    List<MigrationFile> files = resolveAndLint();
    DatabaseState state = readStateReadOnly();
    validate(files, state, true);
    if (state.isLegacy()) {
      try (Connection c = openReadOnly()) {
        checkAdoptable(c, files, state.legacyVersion());
      } catch (SQLException e) {
        throw new MigrationException("cannot read " + db.path() + ": " + e.getMessage(), e);
      }
    }
  }

  /** The max applied version (for a database not yet adopted: its legacy version), 0 for an empty database. */
  public int currentVersion() {
    return readStateReadOnly().currentVersion();
  }

  /** How many files {@code migrate()} would apply; throws when validation fails. */
  public int pendingCount() {
    List<MigrationFile> files = resolveAndLint();
    DatabaseState state = readStateReadOnly();
    validate(files, state, false);
    return pending(files, state, Integer.MAX_VALUE).size();
  }

  // ---------------------------------------------------------------------------------------------------------

  /** What one {@code migrate} or {@code down} call has done so far; survives the retries of a transaction. */
  private static final class Run {
    final List<MigrationReport.Applied> applied = new ArrayList<>();
    Path backup;
    boolean backupConsidered;
  }

  /**
   * The failure of a run, with what the run had committed before it and the version that left, as the history
   * says now; {@code expected} when the history cannot be read (the version the files committed imply).
   */
  private MigrationRunException stoppedAt(RuntimeException failure, Connection c, int from, Run run, int expected) {
    int now = expected;
    try {
      now = MigrationHistory.maxVersion(MigrationHistory.read(c));
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
    return new MigrationRunException(failure.getMessage(), failure, new MigrationReport(from, now, run.applied, run.backup));
  }

  private List<MigrationFile> resolveAndLint() {
    List<MigrationFile> files = resolver.resolve();
    MigrationLint.check(files);
    return files;
  }

  private int checkTarget(Integer targetVersion, List<MigrationFile> files) {
    if (targetVersion == null) {
      return Integer.MAX_VALUE;
    }
    if (files.stream().noneMatch(f -> f.version() == targetVersion)) {
      throw new MigrationException("no migration file has the target version " + targetVersion + " in " + location());
    }
    return targetVersion;
  }

  private void validate(List<MigrationFile> files, DatabaseState state, boolean listAll) {
    String foreign = state.foreignDatabaseProblem();
    if (foreign != null) {
      throw new MigrationException(foreign);
    }
    MigrationValidator.validate(files, state.history(), state.hasHistory() ? state.userVersion() : null, location(), listAll);
    if (state.isLegacy()) {
      int newestFile = files.stream().mapToInt(MigrationFile::version).max().orElse(0);
      if (state.legacyVersion() > newestFile) {
        throw new MigrationException("the legacy schema_version table says version " + state.legacyVersion()
            + " but the newest file in " + location() + " has version " + newestFile
            + ": this build is older than the database");
      }
    }
  }

  private static List<MigrationFile> pending(List<MigrationFile> files, DatabaseState state, int target) {
    return files.stream()
        .filter(f -> f.version() <= target)
        .filter(f -> state.isLegacy() ? f.version() > state.legacyVersion()
            : state.history().stream().noneMatch(r -> r.version() == f.version()))
        .toList();
  }

  /** Under the write lock: the history table appears exactly once, or a legacy database is adopted. */
  private Void createOrAdoptHistory(Connection c, List<MigrationFile> files) throws SQLException {
    inTransaction(c, false, () -> {
      DatabaseState state = DatabaseState.read(c);
      if (state.hasHistory()) {
        return; // another process was first
      }
      String foreign = state.foreignDatabaseProblem();
      if (foreign != null) {
        throw new MigrationException(foreign);
      }
      if (state.isLegacy()) {
        adopt(c, files, state.legacyVersion());
      } else {
        MigrationHistory.create(c);
      }
    });
    return null;
  }

  /**
   * Records files 1..N as BASELINE for a database that an earlier runner brought to version N, but only after
   * proving that its schema is the one those files build: adopting a database that merely claims version N would
   * make every later migration run against a schema nobody checked. The legacy table and its rows stay.
   */
  private void adopt(Connection c, List<MigrationFile> files, int legacyVersion) throws SQLException {
    List<MigrationFile> baseline = checkAdoptable(c, files, legacyVersion);
    MigrationHistory.create(c);
    String now = now();
    for (MigrationFile f : baseline) {
      MigrationHistory.insert(c, new HistoryRow(f.version(), f.name(), f.description(), now, appliedBy(), null,
          f.checksum(), HistoryRow.BASELINE));
    }
    MigrationHistory.mirrorUserVersion(c);
    LOG.info("adopted legacy database {} at version {}: recorded {} file(s) as BASELINE", db.path(), legacyVersion,
        baseline.size());
  }

  private List<MigrationFile> checkAdoptable(Connection c, List<MigrationFile> files, int legacyVersion) throws SQLException {
    List<MigrationFile> baseline = files.stream().filter(f -> f.version() <= legacyVersion).toList();
    SchemaFingerprint actual = SchemaFingerprint.of(c);
    SchemaFingerprint expected = scratchFingerprint(baseline);
    String difference = actual.differenceFrom(expected, "the database", "files 1.." + legacyVersion);
    if (!difference.isEmpty()) {
      throw new MigrationException("cannot adopt the legacy database at schema_version " + legacyVersion
          + ": its schema is not the one files 1.." + legacyVersion + " build; " + difference);
    }
    return baseline;
  }

  /** The schema the files build, on an empty in-memory database. */
  private static SchemaFingerprint scratchFingerprint(List<MigrationFile> files) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.enforceForeignKeys(true);
    try (Connection scratch = DriverManager.getConnection("jdbc:sqlite::memory:", config.toProperties())) {
      for (MigrationFile f : files) {
        try {
          inTransaction(scratch, f.foreignKeysOff(), () -> runStatements(scratch, f, "up", f.up()));
        } catch (MigrationException e) {
          throw new MigrationException("building the expected schema on a scratch database: " + e.getMessage(), e);
        }
      }
      return SchemaFingerprint.of(scratch);
    }
  }

  private Void applyUp(Connection c, List<MigrationFile> files, MigrationFile file, Run run) throws SQLException {
    inTransaction(c, file.foreignKeysOff(), () -> {
      DatabaseState state = DatabaseState.read(c);
      validate(files, state, false);
      if (state.history().stream().anyMatch(r -> r.version() == file.version())) {
        return; // another process applied it while we waited for the lock
      }
      backupIfWanted(c, state, run);
      LOG.debug("applying {}", file.fileName());
      long started = System.nanoTime();
      runStatements(c, file, "up", file.up());
      MigrationReport.Applied applied = new MigrationReport.Applied(file.version(), file.name(), microsSince(started));
      MigrationHistory.insert(c, new HistoryRow(file.version(), file.name(), file.description(), now(), appliedBy(),
          applied.durationMs(), file.checksum(), HistoryRow.SUCCESS));
      MigrationHistory.mirrorUserVersion(c);
      run.applied.add(applied);
    });
    MigrationReport.Applied last = run.applied.isEmpty() ? null : run.applied.get(run.applied.size() - 1);
    if (last != null && last.version() == file.version()) {
      LOG.info("{}applied {} in {} ms", logPrefix, file.fileName(), MigrationReport.millis(last.durationMs()));
    }
    return null;
  }

  private Void applyDown(Connection c, List<MigrationFile> files, MigrationFile file, Run run) throws SQLException {
    inTransaction(c, file.foreignKeysOff(), () -> {
      DatabaseState state = DatabaseState.read(c);
      validate(files, state, false);
      if (state.appliedVersion() != file.version()) {
        throw new MigrationException("the history changed while rolling back: expected version " + file.version()
            + " on top, found " + state.appliedVersion() + "; another process is migrating this database");
      }
      backupIfWanted(c, state, run);
      long started = System.nanoTime();
      runStatements(c, file, "down", file.down());
      long micros = microsSince(started);
      MigrationHistory.delete(c, file.version());
      MigrationHistory.mirrorUserVersion(c);
      run.applied.add(new MigrationReport.Applied(file.version(), file.name(), micros));
    });
    LOG.info("{}rolled back {} in {} ms", logPrefix, file.fileName(),
        MigrationReport.millis(run.applied.get(run.applied.size() - 1).durationMs()));
    return null;
  }

  /**
   * Takes the backup while {@code c} holds the write lock, from a second connection that needs only a read lock:
   * the copy is then exactly the state about to be migrated, with nothing committed in between.
   */
  private void backupIfWanted(Connection c, DatabaseState state, Run run) {
    if (run.backupConsidered) {
      return;
    }
    run.backupConsidered = true;
    if (!settings.backupBeforeMigrate() || !state.isNonEmpty()) {
      return;
    }
    Path target = settings.backupDirectory().toAbsolutePath().normalize().resolve(
        "tradestore-v" + state.appliedVersion() + "-" + BACKUP_STAMP.format(clock.instant()) + ".db");
    try (Connection reader = openReadOnly()) {
      run.backup = DatabaseBackup.vacuumInto(reader, target);
    } catch (SQLException | RuntimeException e) {
      run.backupConsidered = false;
      throw new MigrationException("backup before migrating failed, nothing was changed: " + e.getMessage(), e);
    }
    LOG.info("backed up {} at version {} to {}", db.path(), state.appliedVersion(), run.backup);
  }

  @FunctionalInterface
  private interface TransactionBody {
    void run() throws SQLException;
  }

  /**
   * {@code BEGIN IMMEDIATE}, body, COMMIT; ROLLBACK on any failure. With {@code foreignKeysOff}, the pragma is
   * switched off before BEGIN (inside a transaction SQLite ignores it without an error), the commit requires an
   * empty {@code foreign_key_check}, and the pragma is back on afterwards whatever happened.
   */
  private static void inTransaction(Connection c, boolean foreignKeysOff, TransactionBody body) throws SQLException {
    if (foreignKeysOff) {
      execute(c, "PRAGMA foreign_keys = OFF");
    }
    try {
      execute(c, "BEGIN IMMEDIATE");
      boolean committed = false;
      try {
        body.run();
        if (foreignKeysOff) {
          requireNoForeignKeyViolations(c);
        }
        execute(c, "COMMIT");
        committed = true;
      } finally {
        if (!committed) {
          rollbackQuietly(c);
        }
      }
    } finally {
      if (foreignKeysOff) {
        execute(c, "PRAGMA foreign_keys = ON");
        if (MigrationHistory.intPragma(c, "foreign_keys") != 1) {
          throw new MigrationException("could not switch foreign_keys back on after a foreign-keys-off migration");
        }
      }
    }
  }

  private static void requireNoForeignKeyViolations(Connection c) throws SQLException {
    List<String> violations = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA foreign_key_check")) {
      while (rs.next() && violations.size() < 5) {
        violations.add(rs.getString(1) + " rowid " + rs.getString(2) + " references missing " + rs.getString(3));
      }
    }
    if (!violations.isEmpty()) {
      throw new MigrationException("foreign_key_check failed after the script, rolled back: " + String.join(", ", violations));
    }
  }

  /**
   * One {@code executeUpdate} per statement: it reports the failing statement, where a whole script in one call
   * would not (and {@code execute} would silently run only the first statement).
   */
  private static void runStatements(Connection c, MigrationFile file, String part, List<SqlStatement> statements)
      throws SQLException {
    for (SqlStatement s : statements) {
      try (Statement st = c.createStatement()) {
        st.executeUpdate(s.sql());
      } catch (SQLException e) {
        if (SqliteBusy.isBusy(e)) {
          throw e;
        }
        throw new MigrationException(file.fileName() + ": " + part + " statement " + s.number() + " (line " + s.line()
            + ") failed: " + e.getMessage() + "; the file was rolled back", e);
      }
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.executeUpdate(sql);
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      execute(c, "ROLLBACK");
    } catch (SQLException e) {
      // SQLite may already have rolled back on its own (some I/O and busy errors do); nothing is left to undo.
      LOG.debug("rollback: {}", e.getMessage());
    }
  }

  private Connection open() {
    // Opening sets journal_mode, which can meet another process converting a fresh file to WAL: retry as busy.
    return retry.run("opening " + db.path(), db.busyTimeoutMs(), () -> SqliteConnections.openDirect(db));
  }

  private Connection openReadOnly() throws SQLException {
    return SqliteConnections.reader(db).getConnection();
  }

  /** Read-only, so that status and checks neither create a missing database nor change a present one. */
  private DatabaseState readStateReadOnly() {
    if (!Files.exists(db.path())) {
      return DatabaseState.EMPTY;
    }
    return retry.run("reading the migration history", db.busyTimeoutMs(), () -> {
      try (Connection c = openReadOnly()) {
        return DatabaseState.read(c);
      }
    });
  }

  /** Microseconds on the monotonic clock since {@code startedNanos}, rounded. */
  private static long microsSince(long startedNanos) {
    return (System.nanoTime() - startedNanos + 500) / 1_000;
  }

  private String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.MILLIS).toString();
  }

  private static String appliedBy() {
    return System.getProperty("user.name", "unknown") + " (pid " + ProcessHandle.current().pid() + ")";
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn("could not delete the dry-run scratch directory {}: {}", dir, e.getMessage());
    }
  }
}
