package io.tradestore.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * One real engine per test class, on its own temp database: the bus tests share it (with unique ids per test) so
 * the suite does not pay an engine start per test.
 */
public abstract class EngineFixture {
  @TempDir protected static Path dir;
  protected static RunningEngine running;
  protected static Bus bus;
  protected static Db db;

  @BeforeAll
  static void startEngine() {
    running = RunningEngine.start(dir);
    bus = new Bus(running.engine.vertx());
    db = Db.of(running);
  }

  @AfterAll
  static void stopEngine() {
    running.close();
  }
}
