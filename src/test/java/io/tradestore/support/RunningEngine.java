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

  @Override
  public void close() {
    try {
      engine.stop().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
