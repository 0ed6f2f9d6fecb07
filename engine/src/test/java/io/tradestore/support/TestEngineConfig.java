package io.tradestore.support;

import io.tradestore.config.ConfigLoader;
import io.tradestore.config.EngineConfig;
import io.tradestore.store.migration.MigrationRunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The shipped defaults, pointed at a temp directory, with free ports and the given overrides. */
public final class TestEngineConfig {
  private TestEngineConfig() { }

  public static EngineConfig in(Path dir) {
    return in(dir, Map.of());
  }

  public static EngineConfig in(Path dir, Map<String, Object> overrides) {
    Map<String, Object> all = new HashMap<>();
    all.put("database.path", dir.resolve("data/tradestore.db").toString());
    all.put("migrations.backupDirectory", dir.resolve("data/backups").toString());
    all.put("http.port", freePort());
    all.put("bridge.port", freePort());
    all.putAll(overrides);
    return ConfigLoader.load(null, all);
  }

  /** The defaults in {@code dir}, with the shipped migrations applied to its database: for tests of queries. */
  public static EngineConfig migrated(Path dir) {
    EngineConfig config = in(dir);
    new MigrationRunner(config.database(), config.migrations()).migrate();
    return config;
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
