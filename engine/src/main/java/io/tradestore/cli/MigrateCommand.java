package io.tradestore.cli;

import io.tradestore.config.EngineConfig;
import io.tradestore.store.EngineLock;
import io.tradestore.store.StoragePreflight;
import io.tradestore.store.migration.MigrationGenerator;
import io.tradestore.store.migration.MigrationReport;
import io.tradestore.store.migration.MigrationLocations;
import io.tradestore.store.migration.MigrationRunner;
import io.tradestore.store.migration.MigrationStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tradestore migrate ...}: the schema migrations from the command line. Every subcommand exits 0 on
 * success and, with a one-line reason on stderr, 2 on a usage or configuration error and 1 on a failure while it
 * ran ({@link ExitCodes}).
 */
// INHERIT: its subcommands answer --help also when it runs on its own (main below), not under Main
@Command(name = "migrate", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
    description = "Apply, check, roll back and create schema migrations.",
    subcommands = {
        MigrateCommand.Status.class,
        MigrateCommand.Verify.class,
        MigrateCommand.Up.class,
        MigrateCommand.Down.class,
        MigrateCommand.Create.class})
public final class MigrateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  /** For running the command on its own (tests start it as a separate process). */
  public static void main(String[] args) {
    System.exit(new CommandLine(new MigrateCommand()).execute(args));
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.CONFIGURATION;
  }

  /** What the subcommands share: configuration, database, migrations directory, and the one-line error contract. */
  abstract static class MigrationSubcommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Option(names = "--dir", paramLabel = "DIR", description = "Migrations directory, read alone (overrides "
        + "migrations.location, and ./migrations beside the shipped ones).")
    Path dir;

    @Spec
    CommandSpec spec;

    abstract int run(EngineConfig engine, PrintWriter out);

    /**
     * The checks the engine's start makes of the database's path, with the same messages, before the lock file or
     * SQLite touch it. Commands that only read need no more than a path that can be a database file.
     */
    void checkStorage(Path database) {
      StoragePreflight.checkLocation(database);
    }

    @Override
    public final Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      try {
        EngineConfig engine = CommandConfig.load(config);
        checkStorage(engine.database().path());
        return run(engine, spec.commandLine().getOut());
      } catch (RuntimeException e) {
        // Migration, configuration and I/O failures alike: the message is the reason; a stack trace helps nobody.
        spec.commandLine().getOut().flush();
        err.println("migrate " + spec.name() + ": " + (e.getMessage() != null ? e.getMessage() : e.getClass().getName()));
        err.flush();
        return ExitCodes.of(e);
      }
    }

    /** The same for every subcommand: what create writes, status lists and up applies. */
    MigrationLocations locations(EngineConfig engine) {
      return MigrationLocations.of(engine.migrations().location(), dir);
    }

    MigrationRunner runner(EngineConfig engine) {
      return new MigrationRunner(engine.database(), engine.migrations(), locations(engine).resolver());
    }
  }

  @Command(name = "status", description = "List every migration file and applied version with its state.")
  static final class Status extends MigrationSubcommand {
    @Override
    int run(EngineConfig engine, PrintWriter out) {
      MigrationRunner runner = runner(engine);
      List<MigrationStatus> rows = runner.status();
      out.printf("%-8s %-36s %-9s %-24s %9s  %s%n", "VERSION", "NAME", "STATE", "APPLIED AT", "MS", "CHECKSUM");
      for (MigrationStatus r : rows) {
        out.printf("%-8d %-36s %-9s %-24s %9s  %s%n", r.version(), r.name(), r.state(),
            r.appliedAt() == null ? "-" : r.appliedAt(), r.durationMs() == null ? "-" : MigrationReport.millis(r.durationMs()),
            r.checksum());
      }
      long pending = rows.stream().filter(r -> r.state() == MigrationStatus.State.PENDING).count();
      out.printf("database %s: version %d, %d pending (migrations: %s)%n", engine.database().path(),
          runner.currentVersion(), pending, runner.location());
      return 0;
    }
  }

  @Command(name = "verify", description = "Check files and history as a start would, without writing.")
  static final class Verify extends MigrationSubcommand {
    @Override
    int run(EngineConfig engine, PrintWriter out) {
      MigrationRunner runner = runner(engine);
      runner.verify();
      out.printf("ok: database %s at version %d matches %s, %d pending%n", engine.database().path(),
          runner.currentVersion(), runner.location(), runner.pendingCount());
      return 0;
    }
  }

  @Command(name = "up", description = "Apply the pending migrations (after a backup of a non-empty database).")
  static final class Up extends MigrationSubcommand {
    @Option(names = "--to", paramLabel = "V", description = "Stop after this version.")
    Integer target;

    @Option(names = "--dry-run", description = "Run the pending migrations on a scratch copy only.")
    boolean dryRun;

    @Override
    void checkStorage(Path database) {
      if (dryRun) {
        super.checkStorage(database); // writes only its scratch copy
      } else {
        StoragePreflight.check(database);
      }
    }

    @Override
    int run(EngineConfig engine, PrintWriter out) {
      MigrationRunner runner = runner(engine);
      if (dryRun) {
        for (MigrationStatus s : runner.status()) {
          if (s.state() == MigrationStatus.State.PENDING && (target == null || s.version() <= target)) {
            out.printf("pending %03d_%s.sql %s%n", s.version(), s.name(), s.checksum());
          }
        }
        MigrationReport report = RunOutput.printed(() -> runner.dryRun(target), done -> RunOutput.files("ok", done, out));
        out.printf("dry run passed: %d migration(s) would take the database from version %d to %d; it was not changed%n",
            report.applied().size(), report.fromVersion(), report.toVersion());
        return 0;
      }
      try (EngineLock lock = EngineLock.acquireShared(engine.database().path())) {
        RunOutput.printed(() -> runner.migrate(target), done -> RunOutput.run("applied", done, out));
      }
      return 0;
    }
  }

  @Command(name = "down", description = "Roll back the last N applied migrations (default 1).")
  static final class Down extends MigrationSubcommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "N", defaultValue = "1", description = "How many (default 1).")
    int steps;

    @Override
    void checkStorage(Path database) {
      StoragePreflight.check(database);
    }

    @Override
    int run(EngineConfig engine, PrintWriter out) {
      try (EngineLock lock = EngineLock.acquireShared(engine.database().path())) {
        RunOutput.printed(() -> runner(engine).down(steps), done -> RunOutput.run("rolled back", done, out));
      }
      return 0;
    }
  }

  @Command(name = "create", description = "Write the next numbered migration file with an empty up/down skeleton "
      + "into --dir, a folder migrations.location, or else ./migrations (numbered after the shipped files too).")
  static final class Create extends MigrationSubcommand {
    @Parameters(arity = "1..*", paramLabel = "NAME", description = "Its name, in one or several words.")
    List<String> words;

    @Override
    void checkStorage(Path database) {
      // writes a file into the migrations folder; the database is not opened
    }

    @Override
    int run(EngineConfig engine, PrintWriter out) {
      out.println("created " + MigrationGenerator.create(locations(engine), String.join(" ", words)));
      return 0;
    }
  }
}
