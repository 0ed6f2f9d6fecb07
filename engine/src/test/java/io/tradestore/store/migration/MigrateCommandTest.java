package io.tradestore.store.migration;

import io.tradestore.cli.MigrateCommand;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.tradestore.store.migration.MigrationFixtures.migration;
import static io.tradestore.store.migration.MigrationFixtures.scalar;
import static io.tradestore.store.migration.MigrationFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command's contract: exit 0 on success; non-zero with one line on stderr, no stack trace, on failure. */
class MigrateCommandTest {
  @TempDir
  Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private Path conf;
  private Path dir;
  private String db;

  /**
   * The default migrations.backupDirectory is ./data/backups, relative to the working directory, which is the
   * checkout under Maven: every run gets a configuration that keeps the automatic backups in the test's folder.
   */
  @BeforeEach
  void backupsIntoTheTestsFolder() throws Exception {
    conf = Files.writeString(tmp.resolve("tradestore.yaml"), "migrations:\n  backupDirectory: '" + tmp.resolve("backups") + "'\n");
    dir = tmp.resolve("m");
    db = tmp.resolve("cli.db").toString();
  }

  /** The command on the test's database and migrations folder. */
  private int migrate(String... args) {
    String[] on = java.util.Arrays.copyOf(args, args.length + 4);
    System.arraycopy(new String[] {"--db", db, "--dir", dir.toString()}, 0, on, args.length, 4);
    return run(on);
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    String[] withConf = java.util.Arrays.copyOf(args, args.length + 2);
    withConf[args.length] = "--conf";
    withConf[args.length + 1] = conf.toString();
    return new CommandLine(new MigrateCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(withConf);
  }

  @Test
  void upStatusVerifyDryRunAndDownThroughTheCommand() throws Exception {
    write(dir, "001_a.sql", migration("CREATE TABLE a(x);", "DROP TABLE a;"));
    write(dir, "002_b.sql", migration("CREATE TABLE b(x);", "DROP TABLE b;"));
    write(dir, "003_c.sql", migration("CREATE TABLE c(x);", "DROP TABLE c;"));
    assertEquals(0, migrate("up", "--to", "1"), err.toString());
    assertTrue(out.toString().matches("(?s)applied 001_a\\.sql \\(\\d+\\.\\d{3} ms\\)\\R.*"), out.toString());
    assertEquals(0, migrate("up", "--dry-run"), err.toString());
    assertTrue(out.toString().contains("pending 002_b.sql sha256v1:") && out.toString().contains("dry run passed: 2 migration(s)"),
        out.toString());
    assertEquals(1, scalar(tmp.resolve("cli.db"), "PRAGMA user_version"));
    assertEquals(0, migrate("status"), err.toString());
    assertTrue(out.toString().contains("PENDING") && out.toString().contains("APPLIED"));
    assertTrue(out.toString().matches("(?s).*\\n1 +a +APPLIED +\\S+ +\\d+\\.\\d{3}  sha256v1:.*"), out.toString());
    assertEquals(0, migrate("verify"), err.toString());
    assertEquals(0, migrate("up"), err.toString());
    assertTrue(out.toString().startsWith("backup " + tmp.resolve("backups").resolve("tradestore-v1-")), out.toString());
    assertEquals(0, migrate("down", "2"), err.toString());
    assertTrue(out.toString().startsWith("backup " + tmp.resolve("backups").resolve("tradestore-v3-")), out.toString());
    assertEquals(1, scalar(tmp.resolve("cli.db"), "PRAGMA user_version"));
  }

  @Test
  void failureIsOneLineOnStderrWithANonZeroExitCode() throws Exception {
    write(dir, "001_a.sql", migration("CREATE TABLE a(x);", ""));
    assertEquals(0, migrate("up"), err.toString());
    Files.writeString(dir.resolve("001_a.sql"), migration("CREATE TABLE a(y);", ""));
    int code = migrate("verify");
    assertEquals(1, code);
    String message = err.toString();
    assertTrue(message.startsWith("migrate verify: 001_a.sql (version 1) was changed"), message);
    assertEquals(1, message.strip().lines().count(), message);
    assertFalse(message.contains("\tat "));
    assertEquals(1, migrate("down"));
    assertTrue(run("up", "--to", "x", "--db", db) != 0);
  }

  @Test
  void aFailedUpPrintsWhatItAppliedBeforeTheFailureThenTheFailure() throws Exception {
    write(dir, "001_a.sql", migration("CREATE TABLE a(x);", "DROP TABLE a;"));
    assertEquals(0, migrate("up"), err.toString());
    write(dir, "002_b.sql", migration("CREATE TABLE b(x);", "DROP TABLE b;"));
    write(dir, "003_c.sql", migration("CREATE TABLE c(x);", "DROP TABLE c;"));
    write(dir, "004_d.sql", migration("CRATE TABLE d(x);", "DROP TABLE d;"));

    assertEquals(1, migrate("up", "--dry-run"));
    assertTrue(out.toString().matches("(?s).*ok 002_b\\.sql \\(.*\\nok 003_c\\.sql \\(.*"), out.toString());
    assertFalse(out.toString().contains("dry run passed"), out.toString());
    assertTrue(err.toString().startsWith("migrate up: dry run failed: 004_d.sql: up statement 1"), err.toString());

    assertEquals(1, migrate("up"));
    String printed = out.toString();
    assertTrue(printed.startsWith("backup " + tmp.resolve("backups")), printed);
    assertTrue(printed.matches("(?s).*\\napplied 002_b\\.sql \\(.*\\napplied 003_c\\.sql \\(.*"), printed);
    assertTrue(printed.endsWith("database at version 3 (was 1)" + System.lineSeparator()), printed);
    assertTrue(err.toString().startsWith("migrate up: 004_d.sql: up statement 1 (line 2) failed: "), err.toString());
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
    assertEquals(3, scalar(tmp.resolve("cli.db"), "PRAGMA user_version"));
  }

  @Test
  void aFailedDownPrintsWhatItRolledBackBeforeTheFailure() throws Exception {
    write(dir, "001_a.sql", migration("CREATE TABLE a(x);", "DROP TABLE a;"));
    write(dir, "002_b.sql", migration("CREATE TABLE b(x);", "DROP TABLE no_such_table;"));
    write(dir, "003_c.sql", migration("CREATE TABLE c(x);", "DROP TABLE c;"));
    assertEquals(0, migrate("up"), err.toString());
    assertEquals(1, migrate("down", "2"));
    assertTrue(out.toString().contains("rolled back 003_c.sql ("), out.toString());
    assertTrue(out.toString().contains("database at version 2 (was 3)"), out.toString());
    assertTrue(err.toString().startsWith("migrate down: 002_b.sql: down statement 1"), err.toString());
  }

  @Test
  void createWritesTheNextNumberAndRefusesACollision() throws Exception {
    write(dir, "001_a.sql", migration("CREATE TABLE a(x);", ""));
    write(dir, "009_b.sql", migration("CREATE TABLE b(x);", ""));
    assertEquals(0, run("create", "add", "orders", "index", "--dir", dir.toString()), err.toString());
    Path created = dir.resolve("010_add_orders_index.sql");
    assertTrue(Files.exists(created), out.toString());
    MigrationLint.check(new MigrationResolver(dir.toString()).resolve());
    assertEquals(1, run("create", "Add Orders Index", "--dir", dir.toString()));
    assertTrue(err.toString().contains("already exists: 010_add_orders_index.sql"), err.toString());
  }
}
