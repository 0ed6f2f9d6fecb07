package io.tradestore.store.migration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.tradestore.store.migration.MigrationFixtures.execute;
import static io.tradestore.store.migration.MigrationFixtures.history;
import static io.tradestore.store.migration.MigrationFixtures.migration;
import static io.tradestore.store.migration.MigrationFixtures.rows;
import static io.tradestore.store.migration.MigrationFixtures.runner;
import static io.tradestore.store.migration.MigrationFixtures.scalar;
import static io.tradestore.store.migration.MigrationFixtures.schema;
import static io.tradestore.store.migration.MigrationFixtures.userSchema;
import static io.tradestore.store.migration.MigrationFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationRunnerTest {
  @TempDir
  Path tmp;

  Path dir() {
    return tmp.resolve("migrations");
  }

  Path db() {
    return tmp.resolve("test.db");
  }

  void writeFiveMigrations() {
    write(dir(), "001_accounts.sql", migration("CREATE TABLE accounts(id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
        "DROP TABLE accounts;"));
    write(dir(), "002_orders.sql", migration("""
        CREATE TABLE orders(id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id), qty INTEGER);
        CREATE INDEX orders_account ON orders(account_id);""", "DROP TABLE orders;"));
    write(dir(), "003_orders_side.sql", migration("ALTER TABLE orders ADD COLUMN side TEXT NOT NULL DEFAULT 'B';",
        "ALTER TABLE orders DROP COLUMN side;"));
    write(dir(), "004_fills.sql", migration("""
        CREATE TABLE fills(id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE);
        CREATE VIEW order_fills AS SELECT o.id, count(f.id) AS n FROM orders o LEFT JOIN fills f ON f.order_id = o.id GROUP BY o.id;""",
        "DROP VIEW order_fills;\nDROP TABLE fills;"));
    write(dir(), "005_audit.sql", migration("""
        CREATE TABLE audit(at TEXT, what TEXT);
        CREATE TRIGGER orders_audit AFTER INSERT ON orders BEGIN
          INSERT INTO audit VALUES (datetime('now'), CASE WHEN new.qty > 100 THEN 'big' ELSE 'small' END);
        END;""", "DROP TRIGGER orders_audit;\nDROP TABLE audit;"));
  }

  @Test
  void migrateAppliesAllFilesOnceRecordsHistoryAndMirrorsUserVersion() throws Exception {
    writeFiveMigrations();
    MigrationReport report = runner(db(), dir()).migrate();
    assertEquals(0, report.fromVersion());
    assertEquals(5, report.toVersion());
    assertEquals(List.of(1, 2, 3, 4, 5), report.applied().stream().map(MigrationReport.Applied::version).toList());
    assertEquals(5, scalar(db(), "PRAGMA user_version"));
    assertEquals(0x54524453, scalar(db(), "PRAGMA application_id"));
    assertEquals(5, scalar(db(), "SELECT count(*) FROM schema_migrations WHERE status = 'SUCCESS' AND applied_at LIKE '____-__-__T__:__:__%Z'"));
    List<String> before = schema(db());
    MigrationReport again = runner(db(), dir()).migrate();
    assertTrue(again.applied().isEmpty());
    assertEquals(before, schema(db()));
    assertEquals(5, runner(db(), dir()).currentVersion());
    assertEquals(0, runner(db(), dir()).pendingCount());
  }

  @Test
  void failingMigrationLeavesSchemaHistoryAndUserVersionAsTheyWereAndAppliesOnceFixed() throws Exception {
    write(dir(), "001_a.sql", migration("CREATE TABLE a(x);", "DROP TABLE a;"));
    write(dir(), "002_b.sql", migration("CREATE TABLE b(x);", "DROP TABLE b;"));
    runner(db(), dir()).migrate();
    List<String> before = schema(db());
    List<String> historyBefore = history(db());
    String broken = """
        -- migrate:up
        CREATE TABLE c(x);
        INSERT INTO c VALUES (1);
        -- the next statement has a typo
        INSERT INTO c
          VALUES (2);
        CRATE TABLE d(x);
        -- migrate:down
        DROP TABLE c;
        """;
    write(dir(), "003_c.sql", broken);
    MigrationException e = assertThrows(MigrationException.class, () -> runner(db(), dir()).migrate());
    assertTrue(e.getMessage().startsWith("003_c.sql: up statement 4 (line 7) failed: "), e.getMessage());
    assertTrue(e.getMessage().contains("near \"CRATE\": syntax error"), e.getMessage());
    assertEquals(before, schema(db()));
    assertEquals(historyBefore, history(db()));
    assertEquals(2, scalar(db(), "PRAGMA user_version"));

    write(dir(), "003_c.sql", broken.replace("CRATE", "CREATE"));
    assertEquals(1, runner(db(), dir()).migrate().applied().size());
    assertEquals(2, scalar(db(), "SELECT count(*) FROM c"));
  }

  @Test
  void everyFileRecordsHowLongItTookInMicrosecondsNotWholeMilliseconds() throws Exception {
    writeFiveMigrations();
    MigrationReport report = runner(db(), dir()).migrate();
    // each of these small files takes well under a millisecond: whole milliseconds recorded 0 for nearly all
    assertTrue(report.applied().stream().allMatch(a -> a.durationMicros() > 0), report.toString());
    assertEquals(5, scalar(db(), "SELECT count(*) FROM schema_migrations WHERE typeof(duration_ms) = 'real' AND duration_ms > 0"));
    assertEquals(rows(db(), "SELECT round(duration_ms, 3) FROM schema_migrations ORDER BY version"),
        runner(db(), dir()).status().stream().map(r -> String.valueOf(r.durationMs())).toList());
  }

  @Test
  void aHistoryTableOfAnEarlierBuildKeepsTheFractionsAsItIs() throws Exception {
    write(dir(), "001_a.sql", migration("CREATE TABLE a(x);", "DROP TABLE a;"));
    runner(db(), dir()).migrate();
    // the table as builds before issue 22 created it: duration_ms INTEGER, whole milliseconds
    execute(db(), "ALTER TABLE schema_migrations RENAME TO earlier", """
        CREATE TABLE schema_migrations (
          version     INTEGER PRIMARY KEY,
          name        TEXT    NOT NULL,
          description TEXT,
          applied_at  TEXT    NOT NULL,
          applied_by  TEXT,
          duration_ms INTEGER,
          checksum    TEXT    NOT NULL,
          status      TEXT    NOT NULL CHECK (status IN ('SUCCESS', 'BASELINE'))
        )""", "INSERT INTO schema_migrations SELECT * FROM earlier", "DROP TABLE earlier",
        "UPDATE schema_migrations SET duration_ms = 3");
    List<String> tableBefore = rows(db(), "SELECT sql FROM sqlite_master WHERE name = 'schema_migrations'");

    write(dir(), "002_b.sql", migration("CREATE TABLE b(x);", "DROP TABLE b;"));
    MigrationReport report = runner(db(), dir()).migrate();
    assertEquals(tableBefore, rows(db(), "SELECT sql FROM sqlite_master WHERE name = 'schema_migrations'"), "not altered");
    assertEquals(List.of("integer|3", "real|" + report.applied().get(0).durationMs()),
        rows(db(), "SELECT typeof(duration_ms), duration_ms FROM schema_migrations ORDER BY version"));
    assertEquals(List.of(3.0, report.applied().get(0).durationMs()),
        runner(db(), dir()).status().stream().map(MigrationStatus::durationMs).toList());
    runner(db(), dir()).verify();
  }

  @Test
  void aFailedRunCarriesWhatItCommittedBeforeTheFailure() {
    write(dir(), "001_a.sql", migration("CREATE TABLE a(x);", "DROP TABLE a;"));
    write(dir(), "002_b.sql", migration("CREATE TABLE b(x);", "DROP TABLE b;"));
    write(dir(), "003_c.sql", migration("CRATE TABLE c(x);", "DROP TABLE c;"));
    MigrationRunException e = assertThrows(MigrationRunException.class, () -> runner(db(), dir()).migrate());
    assertTrue(e.getMessage().startsWith("003_c.sql: up statement 1 (line 2) failed: "), e.getMessage());
    assertEquals(List.of(1, 2), e.report().applied().stream().map(MigrationReport.Applied::version).toList());
    assertEquals(0, e.report().fromVersion());
    assertEquals(2, e.report().toVersion());
  }

  @Test
  void everyStatementRunsTriggersLiteralsAndCaseIncludedAndAnInvalidSecondStatementFails() throws Exception {
    write(dir(), "001_tricky.sql", migration("""
        CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, kind TEXT);
        CREATE TRIGGER t_kind AFTER INSERT ON t BEGIN
          UPDATE t SET kind = CASE WHEN new.v LIKE '%;%' THEN 'semi' ELSE 'plain' END WHERE id = new.id;
        END;
        INSERT INTO t(v) VALUES ('a; -- b');
        CREATE TABLE last(x);""", "DROP TABLE last; DROP TRIGGER t_kind; DROP TABLE t;"));
    runner(db(), dir()).migrate();
    assertEquals(List.of("a; -- b|semi"), rows(db(), "SELECT v, kind FROM t"));
    assertEquals(1, scalar(db(), "SELECT count(*) FROM sqlite_master WHERE name IN ('last')"));

    write(dir(), "002_bad.sql", migration("CREATE TABLE ok(x);\nTHIS IS NOT SQL;", ""));
    MigrationException e = assertThrows(MigrationException.class, () -> runner(db(), dir()).migrate());
    assertTrue(e.getMessage().contains("statement 2 (line 3)"), e.getMessage());
    assertEquals(0, scalar(db(), "SELECT count(*) FROM sqlite_master WHERE name = 'ok'"));
  }

  @Test
  void changedAppliedFileIsRefusedBeforeAnyWriteNamingBothChecksums() throws Exception {
    writeFiveMigrations();
    runner(db(), dir()).migrate();
    Path file = dir().resolve("002_orders.sql");
    String original = Files.readString(file);
    String stored = rows(db(), "SELECT checksum FROM schema_migrations WHERE version = 2").get(0);
    write(dir(), "006_more.sql", migration("CREATE TABLE more(x);", ""));
    Files.writeString(file, original.replace("qty INTEGER", "qty INTEGEr"));
    List<String> before = schema(db());
    MigrationException e = assertThrows(MigrationException.class, () -> runner(db(), dir()).migrate());
    String computed = MigrationResolver.parse("002_orders.sql", "", Files.readAllBytes(file)).checksum();
    assertTrue(e.getMessage().contains("002_orders.sql (version 2) was changed"), e.getMessage());
    assertTrue(e.getMessage().contains(stored) && e.getMessage().contains(computed), e.getMessage());
    assertTrue(e.getMessage().contains("put the change into a new migration"), e.getMessage());
    assertEquals(before, schema(db()));
    assertEquals(MigrationStatus.State.CHANGED, runner(db(), dir()).status().get(1).state());

    // Line endings and a BOM are not a change; joining a comment with the next line is.
    Files.writeString(file, "\uFEFF" + original.replace("\n", "\r\n"));
    assertEquals(List.of(6), runner(db(), dir()).migrate().applied().stream().map(MigrationReport.Applied::version).toList());
    Files.writeString(dir().resolve("001_accounts.sql"), "-- comment\n" + migration("CREATE TABLE accounts(id INTEGER PRIMARY KEY, name TEXT NOT NULL);", "DROP TABLE accounts;"));
    MigrationException added = assertThrows(MigrationException.class, () -> runner(db(), dir()).verify());
    assertTrue(added.getMessage().contains("001_accounts.sql (version 1) was changed"), added.getMessage());
  }

  @Test
  void joiningACommentWithTheNextLineIsAChange() throws Exception {
    String text = migration("-- c\nCREATE TABLE a(x);", "DROP TABLE a;");
    write(dir(), "001_a.sql", text);
    runner(db(), dir()).migrate();
    write(dir(), "001_a.sql", text.replace("-- c\nCREATE", "-- cCREATE"));
    assertThrows(MigrationException.class, () -> runner(db(), dir()).migrate());
  }

  @Test
  void missingDuplicateFutureAndOutOfOrderFilesAreRefusedNamingBothSides() throws Exception {
    writeFiveMigrations();
    runner(db(), dir()).migrate(3);
    List<String> before = schema(db());

    Path second = dir().resolve("002_orders.sql");
    Path aside = tmp.resolve("aside.sql");
    Files.move(second, aside);
    MigrationException missing = assertThrows(MigrationException.class, () -> runner(db(), dir()).migrate());
    assertTrue(missing.getMessage().contains("version 2 (orders) was applied") && missing.getMessage().contains("002_orders.sql"),
        missing.getMessage());
    Files.move(aside, second);

    write(dir(), "004_other.sql", migration("SELECT 1;", ""));
    MigrationException duplicate = assertThrows(MigrationException.class, () -> runner(db(), dir()).migrate());
    assertTrue(duplicate.getMessage().contains("two files have version 4: 004_fills.sql") && duplicate.getMessage().contains("004_other.sql"),
        duplicate.getMessage());
    Files.delete(dir().resolve("004_other.sql"));

    Files.delete(dir().resolve("005_audit.sql"));
    Files.delete(dir().resolve("004_fills.sql"));
    Files.delete(dir().resolve("003_orders_side.sql"));
    MigrationException future = assertThrows(MigrationException.class, () -> runner(db(), dir()).migrate());
    assertTrue(future.getMessage().contains("the database is at version 3") && future.getMessage().contains("002_orders.sql (version 2)"),
        future.getMessage());
    writeFiveMigrations();

    runner(db(), dir()).migrate();
    write(dir(), "004_late.sql", migration("SELECT 1;", ""));
    Files.move(dir().resolve("004_late.sql"), dir().resolve("000004_late.sql"));
    assertThrows(MigrationException.class, () -> runner(db(), dir()).migrate()); // same version twice
    assertEquals(5, scalar(db(), "PRAGMA user_version"));
    assertTrue(before.size() < schema(db()).size());
  }

  @Test
  void fileOlderThanTheNewestAppliedOneIsRefusedAsOutOfOrder() throws Exception {
    write(dir(), "001_a.sql", migration("CREATE TABLE a(x);", ""));
    write(dir(), "004_d.sql", migration("CREATE TABLE d(x);", ""));
    runner(db(), dir()).migrate();
    write(dir(), "003_c.sql", migration("CREATE TABLE c(x);", ""));
    MigrationException e = assertThrows(MigrationException.class, () -> runner(db(), dir()).migrate());
    assertTrue(e.getMessage().contains("003_c.sql is not applied but the database is already at version 4"), e.getMessage());
    assertEquals(0, scalar(db(), "SELECT count(*) FROM sqlite_master WHERE name = 'c'"));
  }

  @Test
  void targetVersionAppliesExactlyUpToIt() throws Exception {
    writeFiveMigrations();
    MigrationReport report = runner(db(), dir()).migrate(3);
    assertEquals(List.of(1, 2, 3), report.applied().stream().map(MigrationReport.Applied::version).toList());
    assertEquals(List.of(1, 2, 3), rows(db(), "SELECT version FROM schema_migrations").stream().map(Integer::valueOf).toList());
    assertThrows(MigrationException.class, () -> runner(db(), dir()).migrate(9));
    assertThrows(MigrationException.class, () -> runner(db(), dir()).migrate(2));
    assertEquals(2, runner(db(), dir()).pendingCount());
  }

  @Test
  void downThenUpAtEveryLevelRestoresSchemaChecksumsAndKeepsRowsOfUntouchedTables() throws Exception {
    writeFiveMigrations();
    runner(db(), dir()).migrate();
    execute(db(), "INSERT INTO accounts VALUES (1, 'alice')", "INSERT INTO orders(id, account_id, qty) VALUES (7, 1, 5)");
    List<String> full = schema(db());
    List<String> fullHistory = history(db());
    for (int k = 5; k >= 1; k--) {
      // down to k-1, then up again: every level's down part and up part are exercised against real data
      runner(db(), dir()).down(6 - k);
      assertEquals(k - 1, scalar(db(), "PRAGMA user_version"));
      if (k > 1) {
        assertEquals(List.of("1|alice"), rows(db(), "SELECT * FROM accounts"), "rows in a table untouched by down " + k);
      }
      runner(db(), dir()).migrate();
      assertEquals(full, schema(db()), "after down to " + (k - 1) + " and up again");
      assertEquals(fullHistory, history(db()), "same versions, names and checksums");
    }
    runner(db(), dir()).down(5);
    assertEquals(0, scalar(db(), "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'"));
    runner(db(), dir()).migrate();
    Path fresh = tmp.resolve("fresh.db");
    runner(fresh, dir()).migrate();
    assertEquals(userSchema(fresh), userSchema(db()));
  }

  @Test
  void downTwoRunsTwoDownPartsNewestFirstEachInItsOwnTransaction() throws Exception {
    writeFiveMigrations();
    runner(db(), dir()).migrate();
    MigrationReport report = runner(db(), dir()).down(2);
    assertEquals(List.of(5, 4), report.applied().stream().map(MigrationReport.Applied::version).toList());
    assertEquals(5, report.fromVersion());
    assertEquals(3, report.toVersion());
    assertEquals(3, scalar(db(), "SELECT max(version) FROM schema_migrations"));
    assertEquals(3, scalar(db(), "PRAGMA user_version"));
  }

  @Test
  void downRefusesBeforeAnythingRunsWhenAPartIsEmptyOrStepsExceedHistory() throws Exception {
    writeFiveMigrations();
    write(dir(), "004_fills.sql", migration("CREATE TABLE fills(id INTEGER PRIMARY KEY);", "-- cannot be undone"));
    runner(db(), dir()).migrate();
    List<String> before = schema(db());
    MigrationException e = assertThrows(MigrationException.class, () -> runner(db(), dir()).down(2));
    assertTrue(e.getMessage().contains("004_fills.sql has an empty down part"), e.getMessage());
    assertEquals(before, schema(db()));
    assertThrows(MigrationException.class, () -> runner(db(), dir()).down(6));
    assertThrows(MigrationException.class, () -> runner(db(), dir()).down(0));
    assertEquals(before, schema(db()));
  }

  @Test
  void foreignKeysOffRebuildKeepsCascadeChildrenAndSwitchesForeignKeysBackOn() throws Exception {
    write(dir(), "001_parent_child.sql", migration("""
        CREATE TABLE parent(id INTEGER PRIMARY KEY, name TEXT);
        CREATE TABLE child(id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id) ON DELETE CASCADE);
        CREATE VIEW parent_names AS SELECT name FROM parent;
        INSERT INTO parent VALUES (1, 'a'), (2, 'b');
        INSERT INTO child VALUES (10, 1), (11, 1), (12, 2);""", "DROP VIEW parent_names; DROP TABLE child; DROP TABLE parent;"));
    String rebuild = """
        CREATE TABLE new_parent(id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '', created TEXT);
        INSERT INTO new_parent(id, name) SELECT id, coalesce(name, '') FROM parent;
        DROP VIEW parent_names;
        DROP TABLE parent;
        ALTER TABLE new_parent RENAME TO parent;
        CREATE VIEW parent_names AS SELECT name FROM parent;""";
    write(dir(), "002_rebuild_parent.sql", migration(rebuild, ""));
    MigrationException lint = assertThrows(MigrationException.class, () -> runner(db(), dir()).migrate());
    assertTrue(lint.getMessage().contains("002_rebuild_parent.sql") && lint.getMessage().contains("foreign-keys-off"), lint.getMessage());
    assertEquals(0, scalar(db(), "SELECT count(*) FROM sqlite_master"), "lint runs before anything");

    write(dir(), "002_rebuild_parent.sql", "-- migrate:foreign-keys-off\n" + migration(rebuild, ""));
    // Runs in the same connection right after the rebuild: fails unless foreign_keys is back on.
    write(dir(), "003_orphan.sql", migration("INSERT INTO child VALUES (99, 12345);", ""));
    MigrationException orphan = assertThrows(MigrationException.class, () -> runner(db(), dir()).migrate());
    assertTrue(orphan.getMessage().contains("003_orphan.sql") && orphan.getMessage().contains("FOREIGN KEY"), orphan.getMessage());
    assertEquals(3, scalar(db(), "SELECT count(*) FROM child"));
    assertEquals(0, rows(db(), "PRAGMA foreign_key_check").size());
    assertEquals(2, scalar(db(), "SELECT max(version) FROM schema_migrations"));
    assertTrue(rows(db(), "SELECT sql FROM sqlite_master WHERE name = 'child'").get(0).contains("REFERENCES parent(id)"));
  }

  @Test
  void foreignKeysOffMigrationThatLeavesAViolationIsRolledBack() throws Exception {
    write(dir(), "001_parent_child.sql", migration("""
        CREATE TABLE parent(id INTEGER PRIMARY KEY);
        CREATE TABLE child(id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));
        INSERT INTO parent VALUES (1);
        INSERT INTO child VALUES (10, 1);""", ""));
    write(dir(), "002_lossy_rebuild.sql", "-- migrate:foreign-keys-off\n" + migration("""
        CREATE TABLE new_parent(id INTEGER PRIMARY KEY);
        DROP TABLE parent;
        ALTER TABLE new_parent RENAME TO parent;""", ""));
    MigrationException e = assertThrows(MigrationException.class, () -> runner(db(), dir()).migrate());
    assertTrue(e.getMessage().contains("foreign_key_check failed") && e.getMessage().contains("child"), e.getMessage());
    assertEquals(1, scalar(db(), "SELECT count(*) FROM parent"));
    assertEquals(1, scalar(db(), "PRAGMA user_version"));
  }

  @Test
  void statusShowsAppliedPendingChangedAndMissing() throws Exception {
    writeFiveMigrations();
    runner(db(), dir()).migrate(3);
    write(dir(), "003_orders_side.sql", Files.readString(dir().resolve("003_orders_side.sql")) + "-- edited\n");
    Files.delete(dir().resolve("001_accounts.sql"));
    List<MigrationStatus> status = runner(db(), dir()).status();
    assertEquals(List.of(MigrationStatus.State.MISSING, MigrationStatus.State.APPLIED, MigrationStatus.State.CHANGED,
        MigrationStatus.State.PENDING, MigrationStatus.State.PENDING), status.stream().map(MigrationStatus::state).toList());
    assertTrue(status.get(1).appliedAt() != null && status.get(1).durationMs() != null);
    MigrationException verify = assertThrows(MigrationException.class, () -> runner(db(), dir()).verify());
    assertTrue(verify.getMessage().contains("001") && verify.getMessage().contains("003_orders_side.sql"), verify.getMessage());
  }

  @Test
  void readOnlyQueriesDoNotCreateAMissingDatabase() {
    writeFiveMigrations();
    assertEquals(0, runner(db(), dir()).currentVersion());
    assertEquals(5, runner(db(), dir()).pendingCount());
    assertEquals(5, runner(db(), dir()).status().size());
    runner(db(), dir()).verify();
    assertTrue(Files.notExists(db()));
  }

  @Test
  void unknownNonEmptyDatabaseIsRefused() throws Exception {
    writeFiveMigrations();
    execute(db(), "CREATE TABLE someone_elses(x)");
    MigrationException e = assertThrows(MigrationException.class, () -> runner(db(), dir()).migrate());
    assertTrue(e.getMessage().contains("neither a schema_migrations nor a legacy schema_version"), e.getMessage());
    execute(db(), "DROP TABLE someone_elses", "PRAGMA application_id = 42");
    assertTrue(assertThrows(MigrationException.class, () -> runner(db(), dir()).migrate()).getMessage()
        .contains("not a tradestore database"));
  }
}
