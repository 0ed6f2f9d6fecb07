package io.tradestore.store.migration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static io.tradestore.store.migration.MigrationFixtures.migration;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationLintTest {
  @TempDir
  Path tmp;

  private static MigrationFile parse(String text) {
    return MigrationResolver.parse("004_x.sql", "test", text.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"BEGIN;", "BEGIN IMMEDIATE TRANSACTION;", "COMMIT;", "END TRANSACTION;", "ROLLBACK;",
      "VACUUM;", "PRAGMA journal_mode = WAL;", "PRAGMA main.journal_mode=DELETE;", "PRAGMA foreign_keys = OFF;",
      "pragma \"foreign_keys\"=on;", "ATTACH DATABASE 'x.db' AS x;", "DETACH x;"})
  void transactionControlIsRefusedNamingFileAndLine(String forbidden) {
    MigrationFile file = parse(migration("CREATE TABLE a(x);\n" + forbidden + "\nCREATE TABLE b(x);", ""));
    MigrationException e = assertThrows(MigrationException.class, () -> MigrationLint.check(file));
    assertTrue(e.getMessage().startsWith("004_x.sql line 3 (up statement 2)"), e.getMessage());
  }

  @Test
  void transactionControlInTheDownPartIsRefusedToo() {
    MigrationFile file = parse(migration("SELECT 1;", "DROP TABLE a;\nCOMMIT;"));
    assertTrue(assertThrows(MigrationException.class, () -> MigrationLint.check(file)).getMessage().contains("line 5 (down"));
  }

  @Test
  void savepointsTriggersAndOtherPragmasPass() {
    MigrationFile file = parse(migration("""
        SAVEPOINT s;
        ROLLBACK TO s;
        ROLLBACK TRANSACTION TO SAVEPOINT s;
        RELEASE s;
        PRAGMA defer_foreign_keys = ON;
        CREATE TABLE t(a);
        CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN SELECT 1; END;
        """, ""));
    assertDoesNotThrow(() -> MigrationLint.check(file));
  }

  @Test
  void tableRebuildWithoutDirectiveIsRefusedAndWithItPasses() {
    String rebuild = """
        CREATE TABLE new_p(id INTEGER PRIMARY KEY, name TEXT NOT NULL);
        INSERT INTO new_p SELECT id, name FROM p;
        DROP TABLE p;
        ALTER TABLE new_p RENAME TO p;
        """;
    MigrationException e = assertThrows(MigrationException.class, () -> MigrationLint.check(parse(migration(rebuild, ""))));
    assertTrue(e.getMessage().contains("foreign-keys-off"), e.getMessage());
    assertTrue(e.getMessage().startsWith("004_x.sql line 5"), e.getMessage());
    assertDoesNotThrow(() -> MigrationLint.check(parse("-- migrate:foreign-keys-off\n" + migration(rebuild, ""))));
  }

  @Test
  void columnRenameWithADropIsNotARebuild() {
    MigrationFile file = parse(migration("DROP TABLE old;\nALTER TABLE p RENAME COLUMN a TO b;\nALTER TABLE p RENAME a TO c;", ""));
    assertDoesNotThrow(() -> MigrationLint.check(file));
  }

  @Test
  void generatedSkeletonPassesLint() {
    Path file = MigrationGenerator.create(MigrationLocations.of(null, tmp), "add orders index");
    List<MigrationFile> files = new MigrationResolver(tmp.toString()).resolve();
    assertTrue(file.getFileName().toString().equals("001_add_orders_index.sql"));
    assertDoesNotThrow(() -> MigrationLint.check(files));
  }
}
