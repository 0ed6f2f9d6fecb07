package io.tradestore.cli;

import io.tradestore.support.EngineProcess;
import io.tradestore.support.TestEngineConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A database.path that cannot be a database file is said to be what it is, by run, migrate and backup alike, before
 * the lock file or SQLite touch it: a configuration error (exit 2). A file that cannot be created is named with the
 * reason (exit 1), and folders created for the database are logged.
 */
class DatabasePathTest {
  private static final List<List<String>> TOOLS = List.of(List.of("migrate", "status"), List.of("migrate", "verify"),
      List.of("migrate", "up"), List.of("migrate", "up", "--dry-run"), List.of("migrate", "down"), List.of("backup"));

  @TempDir Path tmp;

  private final StringWriter err = new StringWriter();

  private int run(List<String> command, String... more) {
    err.getBuffer().setLength(0);
    List<String> args = new ArrayList<>(command);
    args.addAll(List.of(more));
    return Main.commandLine().setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err))
        .execute(args.toArray(String[]::new));
  }

  private Map<String, String> ports() {
    return Map.of("TRADESTORE_HTTP_PORT", String.valueOf(TestEngineConfig.freePort()),
        "TRADESTORE_BRIDGE_PORT", String.valueOf(TestEngineConfig.freePort()));
  }

  @Test
  void aDirectoryIsSaidToBeADirectoryByEveryCommand() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("data"));
    String reason = "invalid configuration database.path='" + folder + "': expected a database file, but " + folder
        + " is a directory";
    for (List<String> command : TOOLS) {
      assertEquals(ExitCodes.CONFIGURATION, run(command, "--db", folder.toString()), command + ": " + err);
      assertTrue(err.toString().strip().endsWith(": " + reason), command + ": " + err);
    }
    EngineProcess engine = EngineProcess.start(tmp, ports(), "--db", folder.toString());
    assertEquals(ExitCodes.CONFIGURATION, engine.awaitExit(Duration.ofSeconds(30)), engine.output());
    String output = engine.output();
    assertTrue(output.contains("cannot start: " + reason), output);
    assertFalse(output.contains("chmod") || output.contains("restore it"), output);
    try (var left = Files.list(folder)) {
      assertEquals(List.of(), left.toList(), "no lock file or database was created in it");
    }
  }

  @Test
  void aFileInThePathIsSaidToBeAFile() throws Exception {
    Path file = Files.writeString(tmp.resolve("notes.txt"), "not a folder");
    for (List<String> command : TOOLS) {
      assertEquals(ExitCodes.CONFIGURATION, run(command, "--db", file.resolve("x.db").toString()), command + ": " + err);
      assertTrue(err.toString().contains("expected a database file in a folder, but " + file + " is a file"),
          command + ": " + err);
    }
  }

  @Test
  void aFileThatCannotBeCreatedIsNamedWithTheReason() throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "procfs, where nothing can be created, is mounted");
    assertEquals(ExitCodes.FAILURE, run(List.of("migrate", "up"), "--db", "/proc/x.db"));
    assertEquals("migrate up: cannot create the engine lock /proc/x.db.lock beside the database: no such file or directory",
        err.toString().strip());
  }

  @Test
  void foldersCreatedForTheDatabaseAreLogged() throws Exception {
    Path db = tmp.resolve("new/deeper/trades.db");
    EngineProcess migrate = EngineProcess.start(tmp, Map.of(), "migrate", "up", "--db", db.toString());
    assertEquals(0, migrate.awaitExit(Duration.ofSeconds(30)), migrate.output());
    assertTrue(migrate.output().contains("INFO SqliteFiles - created the folders " + tmp.resolve("new") + ", "
        + tmp.resolve("new/deeper") + " (rwx------)"), migrate.output());
  }
}
