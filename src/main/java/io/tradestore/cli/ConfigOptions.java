package io.tradestore.cli;

import io.tradestore.config.ConfigLoader;
import io.tradestore.config.EngineConfig;
import io.vertx.core.Vertx;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The options every subcommand shares: which configuration file, and which database. */
public final class ConfigOptions {
  @Option(names = "--conf", paramLabel = "FILE", description = "Configuration file layered over the defaults (YAML or JSON).")
  Path confFile;

  @Option(names = "--db", paramLabel = "PATH", description = "Database file (overrides database.path).")
  Path database;

  /** Command-line overrides, applied over every other configuration layer. */
  public Map<String, Object> overrides() {
    Map<String, Object> overrides = new HashMap<>();
    if (database != null) {
      overrides.put("database.path", database.toString());
    }
    return overrides;
  }

  public Path confFile() {
    return confFile;
  }

  /** Loads the configuration for a short-lived tool command (it needs a Vert.x instance only for vertx-config). */
  public EngineConfig load() {
    Vertx vertx = Vertx.vertx();
    try {
      return ConfigLoader.load(vertx, confFile, overrides()).await();
    } finally {
      vertx.close().await();
    }
  }
}
