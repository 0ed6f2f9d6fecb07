package io.tradestore.cli;

import io.tradestore.startup.EngineVersion;
import io.tradestore.store.SqliteNativeLibrary;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code java -jar tradestore.jar [run|migrate|backup] ...}. Without a subcommand the engine runs.
 * Every command exits 0 on success and, with a one-line reason, 2 on a usage or configuration error and 1 on a
 * failure while it ran ({@link ExitCodes}). {@code scope = INHERIT} hands
 * {@code --help} and {@code --version} down to every subcommand, so that none, present or future, can lack them.
 */
@Command(name = "tradestore", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    scope = CommandLine.ScopeType.INHERIT,
    description = "Trading persistence engine: quotes, orders, fills, positions and balances on SQLite.")
public final class Main implements java.util.concurrent.Callable<Integer> {
  @CommandLine.Mixin
  ConfigOptions options = new ConfigOptions();

  /** The commands, by name, in the order the help lists them. */
  private static final Map<String, Supplier<Object>> COMMANDS = commands();

  public static void main(String[] args) {
    SqliteNativeLibrary.useCachedCopy();
    System.exit(commandLine(args).execute(args));
  }

  /** The whole command tree. */
  static CommandLine commandLine() {
    return withCommands(COMMANDS.keySet());
  }

  /**
   * The tree with only the commands these arguments name, or all of them when they name none (the engine's default
   * run, the top-level help). Picocli builds a command's model by reflection when it is added, so a CLI verb started
   * with the whole tree pays for every command's model; {@code migrate status} needs only {@code migrate}'s. An
   * option's value that spells a command ({@code --db migrate run}) adds that command too, and picocli refuses it
   * as it would with the whole tree.
   */
  static CommandLine commandLine(String... args) {
    Set<String> named = new LinkedHashSet<>();
    for (String arg : args) {
      if (COMMANDS.containsKey(arg)) {
        named.add(arg);
      }
    }
    return withCommands(named.isEmpty() ? COMMANDS.keySet() : named);
  }

  private static CommandLine withCommands(Set<String> names) {
    CommandLine root = new CommandLine(new Main());
    COMMANDS.forEach((name, command) -> {
      if (names.contains(name)) {
        root.addSubcommand(name, command.get());
      }
    });
    return root.setExecutionExceptionHandler((error, commandLine, parsed) -> {
          commandLine.getErr().println("tradestore: " + (error.getMessage() != null ? error.getMessage() : error.toString()));
          return ExitCodes.of(error);
        });
  }

  private static Map<String, Supplier<Object>> commands() {
    Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
    commands.put("run", RunCommand::new);
    commands.put("migrate", MigrateCommand::new);
    commands.put("backup", BackupCommand::new);
    commands.put("export", ExportCommand::new);
    commands.put("import", ImportCommand::new);
    commands.put("token", TokenCommand::new);
    return commands;
  }

  @Override
  public Integer call() {
    return new RunCommand(options).call();
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"tradestore " + EngineVersion.get()};
    }
  }
}
