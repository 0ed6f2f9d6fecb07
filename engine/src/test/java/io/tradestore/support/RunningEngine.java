package io.tradestore.support;

import io.tradestore.config.EngineConfig;
import io.tradestore.startup.Engine;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** An engine started in this JVM on a temp directory, stopped by close(). */
public final class RunningEngine implements AutoCloseable {
  public final EngineConfig config;
  public final Engine engine;

  private RunningEngine(EngineConfig config, Engine engine) {
    this.config = config;
    this.engine = engine;
  }

  public static RunningEngine start(Path dir) {
    return start(dir, Map.of());
  }

  public static RunningEngine start(Path dir, Map<String, Object> overrides) {
    EngineConfig config = TestEngineConfig.in(dir, overrides);
    return new RunningEngine(config, Engine.start(config));
  }

  /** A one-value query on the engine's database, through a connection of its own. */
  public long queryLong(String sql) throws java.sql.SQLException {
    return Long.parseLong(queryString(sql));
  }

  /** A write through a connection of its own (it waits for the engine's write lock). */
  public void execute(String sql) throws java.sql.SQLException {
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + config.database().path().toAbsolutePath())) {
      c.createStatement().execute("PRAGMA busy_timeout = 5000");
      c.createStatement().executeUpdate(sql);
    }
  }

  public String queryString(String sql) throws java.sql.SQLException {
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + config.database().path().toAbsolutePath());
         var rs = c.createStatement().executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  @Override
  public void close() {
    try {
      engine.stop().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
