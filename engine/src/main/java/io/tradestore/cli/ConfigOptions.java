package io.tradestore.cli;

import io.tradestore.config.ConfigLoader;
import io.tradestore.config.EngineConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The options every command shares: which configuration file, and which database. They may be given before
 * the subcommand ({@code tradestore --db x.db migrate status}) or after it; the nearest one wins.
 */
public final class ConfigOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(names = "--conf", paramLabel = "FILE", description = "Configuration file layered over the defaults (YAML or JSON).")
  Path confFile;

  @Option(names = "--db", paramLabel = "PATH", description = "Database file (overrides database.path).")
  Path database;

  /** Command-line overrides, applied over every other configuration layer. */
  public Map<String, Object> overrides() {
    Map<String, Object> overrides = new HashMap<>();
    Path db = database();
    if (db != null) {
      overrides.put("database.path", db.toString());
    }
    return overrides;
  }

  public Path confFile() {
    if (confFile != null) {
      return confFile;
    }
    ConfigOptions outer = enclosing();
    return outer == null ? null : outer.confFile();
  }

  public Path database() {
    if (database != null) {
      return database;
    }
    ConfigOptions outer = enclosing();
    return outer == null ? null : outer.database();
  }

  /** The same options of an enclosing command, given before this subcommand's name. */
  private ConfigOptions enclosing() {
    for (CommandSpec command = mixee == null ? null : mixee.parent(); command != null; command = command.parent()) {
      for (CommandSpec mixin : command.mixins().values()) {
        if (mixin.userObject() instanceof ConfigOptions outer && outer != this) {
          return outer;
        }
      }
    }
    return null;
  }

  public EngineConfig load() {
    return ConfigLoader.load(confFile(), overrides());
  }
}
