package io.tradestore.store.migration;

import io.tradestore.config.EngineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static io.tradestore.store.migration.MigrationFixtures.connect;
import static io.tradestore.store.migration.MigrationFixtures.database;
import static io.tradestore.store.migration.MigrationFixtures.execute;
import static io.tradestore.store.migration.MigrationFixtures.history;
import static io.tradestore.store.migration.MigrationFixtures.migration;
import static io.tradestore.store.migration.MigrationFixtures.rows;
import static io.tradestore.store.migration.MigrationFixtures.runner;
import static io.tradestore.store.migration.MigrationFixtures.scalar;
import static io.tradestore.store.migration.MigrationFixtures.schema;
import static io.tradestore.store.migration.MigrationFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackupDryRunAdoptionTest {
  private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");

  @TempDir
  Path tmp;

  Path dir() {
    return tmp.resolve("migrations");
  }

  Path db() {
    return tmp.resolve("test.db");
  }

  Path backups() {
    return tmp.resolve("backups");
  }

  MigrationRunner backingUpRunner() {
    return new MigrationRunner(database(db()), new EngineConfig.Migrations(dir().toString(), true, true, backups()), null,
        BusyRetry.DEFAULT, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  void twoMigrations() {
    write(dir(), "001_a.sql", migration("CREATE TABLE a(id INTEGER PRIMARY KEY, v TEXT);", "DROP TABLE a;"));
    write(dir(), "002_b.sql", migration("CREATE TABLE b(x);", "DROP TABLE b;"));
  }

  @Test
  void backupIsTakenUnderTheWriteLockWithPendingMigrationsAndHoldsUncheckpointedWalRows() throws Exception {
    twoMigrations();
    runner(db(), dir()).migrate(1);
    write(dir(), "003_c.sql", migration("INSERT INTO a(v) VALUES ('after backup');", "DELETE FROM a WHERE v = 'after backup';"));
    try (Connection holder = connect(db()); Statement st = holder.createStatement()) {
      st.executeUpdate("PRAGMA wal_autocheckpoint = 0");
      st.executeUpdate("INSERT INTO a(v) VALUES ('only in the wal')");
      assertTrue(Files.size(tmp.resolve("test.db-wal")) > 0);
      MigrationReport report = backingUpRunner().migrate();
      Path backup = report.backup();
      assertEquals(backups().resolve("tradestore-v1-20260304T050607Z.db"), backup);
      io.tradestore.store.DatabaseBackup.verify(backup);
      assertEquals(1, scalar(backup, "SELECT max(version) FROM schema_migrations"));
      assertEquals(List.of("only in the wal"), rows(backup, "SELECT v FROM a"));
      assertEquals(0, scalar(backup, "SELECT count(*) FROM sqlite_master WHERE name = 'b'"));
      assertEquals(3, scalar(db(), "PRAGMA user_version"));
    }
  }

  @Test
  void noBackupWhenNothingIsPendingOrTheDatabaseIsEmpty() throws Exception {
    twoMigrations();
    assertNull(backingUpRunner().migrate().backup(), "a fresh database has nothing to lose");
    assertNull(backingUpRunner().migrate().backup());
    assertTrue(Files.notExists(backups()));
  }

  @Test
  void failingBackupAbortsWithTheSchemaUnchanged() throws Exception {
    twoMigrations();
    runner(db(), dir()).migrate(1);
    Files.createDirectories(backups());
    Files.writeString(backups().resolve("tradestore-v1-20260304T050607Z.db"), "in the way");
    List<String> before = schema(db());
    MigrationException e = assertThrows(MigrationException.class, () -> backingUpRunner().migrate());
    assertTrue(e.getMessage().contains("backup before migrating failed") && e.getMessage().contains("already exists"), e.getMessage());
    assertEquals(before, schema(db()));
    assertEquals("in the way", Files.readString(backups().resolve("tradestore-v1-20260304T050607Z.db")));
  }

  @Test
  void dryRunReportsWhatARealRunWouldAndLeavesTheLiveDatabaseUnchanged() throws Exception {
    twoMigrations();
    runner(db(), dir()).migrate(1);
    execute(db(), "INSERT INTO a(v) VALUES ('x')");
    write(dir(), "003_c.sql", migration("CREATE TABLE c(x);", ""));
    List<String> before = schema(db());
    List<String> historyBefore = history(db());
    long size = Files.size(db());
    try (Connection watcher = connect(db())) {
      long dataVersion = scalarOn(watcher, "PRAGMA data_version");
      MigrationReport report = runner(db(), dir()).dryRun(null);
      assertEquals(List.of(2, 3), report.applied().stream().map(MigrationReport.Applied::version).toList());
      assertEquals(1, report.fromVersion());
      assertEquals(3, report.toVersion());
      assertEquals(dataVersion, scalarOn(watcher, "PRAGMA data_version"), "no other connection wrote");
    }
    assertEquals(before, schema(db()));
    assertEquals(historyBefore, history(db()));
    assertEquals(size, Files.size(db()));

    write(dir(), "003_c.sql", migration("CREATE TABLE c(x);\nINSERT INTO nowhere VALUES (1);", ""));
    MigrationException e = assertThrows(MigrationException.class, () -> runner(db(), dir()).dryRun(null));
    assertTrue(e.getMessage().startsWith("dry run failed: 003_c.sql: up statement 2 (line 3) failed"), e.getMessage());
    assertTrue(e.getMessage().contains("no such table: nowhere"), e.getMessage());
    assertEquals(before, schema(db()));
  }

  @Test
  void dryRunOnAMissingDatabaseDoesNotCreateIt() {
    twoMigrations();
    assertEquals(2, runner(db(), dir()).dryRun(null).applied().size());
    assertTrue(Files.notExists(db()));
  }

  private static long scalarOn(Connection c, String sql) throws Exception {
    try (Statement st = c.createStatement(); var rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  void legacyFiles() {
    write(dir(), "001_accounts.sql", migration("CREATE TABLE accounts(id INTEGER PRIMARY KEY, name TEXT NOT NULL);", "DROP TABLE accounts;"));
    write(dir(), "002_orders.sql", migration("CREATE TABLE orders(id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts(id));\n"
        + "CREATE INDEX orders_account ON orders(account_id);", "DROP TABLE orders;"));
    write(dir(), "003_fills.sql", migration("CREATE TABLE fills(id INTEGER PRIMARY KEY);", "DROP TABLE fills;"));
  }

  /** A database as the old runner left it: formatted differently, with a schema_version table. */
  void legacyDatabase(String ordersSql) throws Exception {
    execute(db(),
        "CREATE TABLE schema_version(version INTEGER, applied_at TEXT)",
        "INSERT INTO schema_version VALUES (1, '2024-01-01'), (2, '2024-02-01')",
        "CREATE TABLE accounts (\n  id   INTEGER PRIMARY KEY, -- the id\n  name TEXT    NOT NULL\n)",
        ordersSql,
        "CREATE INDEX orders_account ON orders (account_id)",
        "INSERT INTO accounts VALUES (1, 'alice')");
  }

  @Test
  void legacyDatabaseWithMatchingSchemaIsAdoptedAsBaselineThenMigrated() throws Exception {
    legacyFiles();
    legacyDatabase("CREATE TABLE \"orders\" (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts (id))");
    assertEquals(2, runner(db(), dir()).currentVersion());
    assertEquals(1, runner(db(), dir()).pendingCount());
    runner(db(), dir()).verify();

    MigrationReport report = runner(db(), dir()).migrate();
    assertEquals(2, report.fromVersion());
    assertEquals(List.of(3), report.applied().stream().map(MigrationReport.Applied::version).toList());
    List<String> history = rows(db(), "SELECT version, status, checksum FROM schema_migrations ORDER BY version");
    assertEquals(3, history.size());
    assertTrue(history.get(0).startsWith("1|BASELINE|sha256v1:") && history.get(1).startsWith("2|BASELINE|")
        && history.get(2).startsWith("3|SUCCESS|"), history.toString());
    assertEquals(2, scalar(db(), "SELECT count(*) FROM schema_version"), "the legacy table and its rows stay");
    assertEquals(List.of("1|alice"), rows(db(), "SELECT * FROM accounts"));
    assertEquals(3, scalar(db(), "PRAGMA user_version"));
    List<MigrationStatus> status = runner(db(), dir()).status();
    assertEquals(java.util.Arrays.asList(null, null, report.applied().get(0).durationMs()),
        status.stream().map(MigrationStatus::durationMs).toList(), "a BASELINE row never ran: no duration");

    List<String> after = schema(db());
    assertTrue(runner(db(), dir()).migrate().applied().isEmpty(), "a second start is a no-op");
    assertEquals(after, schema(db()));

    runner(db(), dir()).down(1);
    MigrationException belowBaseline = assertThrows(MigrationException.class, () -> runner(db(), dir()).down(1));
    assertTrue(belowBaseline.getMessage().contains("BASELINE"), belowBaseline.getMessage());
    assertEquals(2, scalar(db(), "SELECT count(*) FROM schema_migrations"));
  }

  @Test
  void legacyDatabaseWithADifferentSchemaIsRefusedShowingTheDifference() throws Exception {
    legacyFiles();
    legacyDatabase("CREATE TABLE orders(id INTEGER PRIMARY KEY, account_id INTEGER, note TEXT)");
    List<String> before = schema(db());
    MigrationException e = assertThrows(MigrationException.class, () -> runner(db(), dir()).migrate());
    assertTrue(e.getMessage().contains("cannot adopt the legacy database at schema_version 2"), e.getMessage());
    assertTrue(e.getMessage().contains("only in the database: table orders on orders: create table orders ( id integer primary key , account_id integer , note text )"),
        e.getMessage());
    assertTrue(e.getMessage().contains("references accounts"), e.getMessage());
    assertEquals(before, schema(db()));
    assertThrows(MigrationException.class, () -> runner(db(), dir()).verify());
  }

  @Test
  void backupFileNameCarriesTheFromVersion() throws Exception {
    twoMigrations();
    runner(db(), dir()).migrate(1);
    backingUpRunner().migrate();
    try (Stream<Path> files = Files.list(backups())) {
      assertEquals(List.of("tradestore-v1-20260304T050607Z.db"), files.map(p -> p.getFileName().toString()).toList());
    }
    assertNotNull(scalar(db(), "SELECT count(*) FROM b"));
  }
}
