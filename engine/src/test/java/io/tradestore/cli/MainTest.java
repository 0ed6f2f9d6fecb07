package io.tradestore.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
  @Test
  void aVerbBuildsOnlyTheCommandsItsArgumentsName() {
    assertEquals(List.of("migrate"), List.copyOf(Main.commandLine("migrate", "status", "--db", "x.db").getSubcommands().keySet()));
    assertEquals(List.of("backup"), List.copyOf(Main.commandLine("--db", "x.db", "backup").getSubcommands().keySet()));
  }

  @Test
  void withoutAVerbTheWholeTreeIsThereForTheDefaultRunAndTheTopLevelHelp() {
    assertEquals(List.of("run", "migrate", "backup", "export", "import", "token"), List.copyOf(Main.commandLine("--db", "x.db").getSubcommands().keySet()));
    StringWriter out = new StringWriter();
    CommandLine help = Main.commandLine("--help");
    assertEquals(0, help.setOut(new PrintWriter(out)).execute("--help"));
    for (String command : List.of("run", "migrate", "backup", "token")) {
      assertTrue(out.toString().contains("  " + command + " "), out.toString());
    }
  }

  @Test
  void anOptionValueThatSpellsACommandParsesAsItWouldWithTheWholeTree() {
    String[] args = {"--db", "migrate", "run"};
    StringWriter whole = new StringWriter();
    StringWriter named = new StringWriter();
    int wholeExit = Main.commandLine().setErr(new PrintWriter(whole)).execute(args);
    int namedExit = Main.commandLine(args).setErr(new PrintWriter(named)).execute(args);
    assertEquals(ExitCodes.CONFIGURATION, wholeExit, whole.toString()); // picocli takes no command name as an option's value
    assertEquals(wholeExit, namedExit);
    assertEquals(whole.toString().lines().findFirst(), named.toString().lines().findFirst());
  }
}
