package io.tradestore.cli;

import io.tradestore.config.EngineConfig;
import io.tradestore.startup.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;

/**
 * Runs the engine until SIGTERM or SIGINT, then stops it gracefully and exits 0. The signals are handled here,
 * rather than by a shutdown hook, because the JVM would otherwise report a SIGTERM stop as exit code 143.
 */
@Command(name = "run", description = "Start the engine (the default command).")
public final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Mixin
  ConfigOptions options = new ConfigOptions();

  public RunCommand() { }

  RunCommand(ConfigOptions options) {
    this.options = options;
  }

  @Override
  public Integer call() {
    // installed first: a SIGTERM during startup then stops the engine cleanly once it is up
    CountDownLatch stopSignal = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), signal -> stopSignal.countDown());
    Signal.handle(new Signal("INT"), signal -> stopSignal.countDown());
    Engine engine;
    try {
      EngineConfig config = CommandConfig.load(options);
      engine = Engine.start(config);
    } catch (RuntimeException e) { // a configuration value found unusable at start (database.path) exits 2 as well
      LOG.error("cannot start: {}", e.getMessage());
      return ExitCodes.of(e);
    }
    try {
      stopSignal.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("stop requested");
    try {
      engine.stop().await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("unclean stop: {}", e.getMessage());
      return ExitCodes.FAILURE;
    }
    return 0;
  }
}
