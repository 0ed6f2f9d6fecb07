package io.tradestore.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One exit-code convention for every command, in process through {@link Main#commandLine()}: 2 for a usage or
 * configuration error, 1 for a failure while the command ran, each with one line on stderr. {@code run} is held to
 * it by EngineProcessTest, in a process of its own: it installs signal handlers, which would stay in this JVM.
 */
class ExitCodeTest {
  /** What a command needs besides its options to get as far as reading the configuration. */
  private static final Map<String, List<String>> REQUIRED = Map.of("migrate create", List.of("new_table"),
      "export", List.of("fills"), "import", List.of("orders.csv"));

  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(List<String> args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args.toArray(String[]::new));
  }

  @Test
  void configurationErrorsExitTwoInEveryCommandThatReadsTheConfiguration() throws Exception {
    Path unparsable = Files.writeString(tmp.resolve("unparsable.yaml"), "database: [\n");
    Path badValue = Files.writeString(tmp.resolve("bad-value.yaml"), "database:\n  synchronous: SOMETIMES\n");
    Path unknownKey = Files.writeString(tmp.resolve("unknown-key.yaml"), "databse:\n  path: x.db\n");
    Path scalarSection = Files.writeString(tmp.resolve("scalar-section.yaml"), "database: 5\n");
    List<List<String>> commands = commandsReadingTheConfiguration();
    assertTrue(commands.size() >= 6, commands.toString());
    for (List<String> command : commands) {
      for (Path conf : List.of(unparsable, badValue, unknownKey, scalarSection, tmp.resolve("missing.yaml"))) {
        List<String> args = new ArrayList<>(command);
        args.addAll(REQUIRED.getOrDefault(String.join(" ", command), List.of()));
        args.addAll(List.of("--conf", conf.toString(), "--db", tmp.resolve("t.db").toString(), "--dir", tmp.toString()));
        if (!command.get(0).equals("migrate")) {
          args.remove(args.size() - 1);
          args.remove(args.size() - 1);
        }
        assertEquals(ExitCodes.CONFIGURATION, run(args), args + ": " + err);
        assertEquals(1, err.toString().strip().lines().count(), args + ": " + err);
        assertFalse(err.toString().contains("\tat "), args + ": " + err);
      }
      assertFalse(Files.exists(tmp.resolve("t.db")), command + " created nothing");
    }
  }

  @Test
  void theReasonAFileDoesNotParseIsOneLineNamingTheFile() throws Exception {
    Path unparsable = Files.writeString(tmp.resolve("unparsable.yaml"), "database: [\n");
    assertEquals(ExitCodes.CONFIGURATION, run(List.of("migrate", "status", "--conf", unparsable.toString())));
    assertTrue(err.toString().startsWith("migrate status: cannot read the configuration " + unparsable + ": "), err.toString());
  }

  @Test
  void usageErrorsExitTwo() {
    assertEquals(ExitCodes.CONFIGURATION, run(List.of("token")), "--name is required");
    assertEquals(ExitCodes.CONFIGURATION, run(List.of("backup", "--no-such-option")));
    assertEquals(ExitCodes.CONFIGURATION, run(List.of("migrate", "up", "--to", "x")));
    assertEquals(ExitCodes.CONFIGURATION, run(List.of("migrate")), "a subcommand is needed");
  }

  @Test
  void failuresWhileTheCommandRunsExitOne() throws Exception {
    assertEquals(ExitCodes.FAILURE, run(List.of("backup", "--db", tmp.resolve("absent.db").toString())));
    assertTrue(err.toString().contains("no database at"), err.toString());
    Path notAMigration = Files.writeString(Files.createDirectories(tmp.resolve("m")).resolve("001_a.sql"), "no markers\n");
    assertEquals(ExitCodes.FAILURE, run(List.of("migrate", "verify", "--db", tmp.resolve("t.db").toString(),
        "--dir", notAMigration.getParent().toString())));
    assertTrue(err.toString().startsWith("migrate verify: 001_a.sql: no -- migrate:up line"), err.toString());
  }

  /** Every command with a --conf option, but the engine itself (run, and the top level, which runs it). */
  private static List<List<String>> commandsReadingTheConfiguration() {
    List<List<String>> found = new ArrayList<>();
    collect(Main.commandLine(), new ArrayList<>(), found);
    return found;
  }

  private static void collect(CommandLine command, List<String> path, List<List<String>> into) {
    boolean engine = path.isEmpty() || path.equals(List.of("run"));
    if (!engine && command.getCommandSpec().findOption("--conf") != null) {
      into.add(path);
    }
    command.getSubcommands().forEach((name, sub) -> {
      if (name.equals(sub.getCommandName())) {
        List<String> deeper = new ArrayList<>(path);
        deeper.add(name);
        collect(sub, deeper, into);
      }
    });
  }
}
