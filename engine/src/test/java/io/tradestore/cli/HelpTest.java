package io.tradestore.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --help} is answered everywhere; walking the tree means a subcommand added later is held to it too. */
class HelpTest {
  @Test
  void everyCommandAndSubcommandAnswersHelp() {
    int commands = assertEveryCommandAnswersHelp(Main::commandLine);
    assertTrue(commands >= 10, "the whole tree was walked (run, backup, token, migrate and its verbs): " + commands + " commands");
  }

  @Test
  void theMigrateCommandRunOnItsOwnAnswersHelpInEverySubcommand() {
    assertEveryCommandAnswersHelp(() -> new CommandLine(new MigrateCommand()));
  }

  /** @return how many commands were asked */
  private static int assertEveryCommandAnswersHelp(Supplier<CommandLine> entryPoint) {
    List<List<String>> commands = new ArrayList<>();
    collect(entryPoint.get(), new ArrayList<>(), commands);
    String root = entryPoint.get().getCommandName();
    for (List<String> path : commands) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit = entryPoint.get().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args.toArray(String[]::new));
      String command = String.join(" ", args);
      assertEquals(0, exit, command + ": " + err);
      assertTrue(out.toString().startsWith(("Usage: " + root + " " + String.join(" ", path)).strip()), command + ": " + out);
    }
    return commands.size();
  }

  private static void collect(CommandLine command, List<String> path, List<List<String>> into) {
    into.add(path);
    command.getSubcommands().forEach((name, sub) -> {
      if (name.equals(sub.getCommandName())) { // an alias would ask the same command twice
        List<String> deeper = new ArrayList<>(path);
        deeper.add(name);
        collect(sub, deeper, into);
      }
    });
  }
}
