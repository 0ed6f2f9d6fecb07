package io.tradestore.cli;

import io.tradestore.startup.EngineVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar tradestore.jar [run|migrate|backup] ...}. Without a subcommand the engine runs.
 * Every command exits 0 on success and, with a one-line reason, 2 on a usage or configuration error and 1 on a
 * failure while it ran ({@link ExitCodes}). {@code scope = INHERIT} hands
 * {@code --help} and {@code --version} down to every subcommand, so that none, present or future, can lack them.
 */
@Command(name = "tradestore", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    scope = CommandLine.ScopeType.INHERIT,
    description = "Trading persistence engine: quotes, orders, fills, positions and balances on SQLite.",
    subcommands = {RunCommand.class, MigrateCommand.class, BackupCommand.class, TokenCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
  @CommandLine.Mixin
  ConfigOptions options = new ConfigOptions();

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setExecutionExceptionHandler((error, commandLine, parsed) -> {
          commandLine.getErr().println("tradestore: " + (error.getMessage() != null ? error.getMessage() : error.toString()));
          return ExitCodes.of(error);
        });
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
