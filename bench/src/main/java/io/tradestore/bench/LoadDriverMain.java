package io.tradestore.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * The load driver as its own process: {@code bench} spawns it (same jar, same JVM) to drive a TCP event-bus
 * bridge from outside, as a real client would, so the client's CPU and the socket are on the path. Prints one
 * line {@code RESULT <json>} with the counts and the encoded latency histogram, then exits.
 */
@Command(name = "load-driver", mixinStandardHelpOptions = true)
public final class LoadDriverMain implements Callable<Integer> {
  static final String RESULT_PREFIX = "RESULT ";

  @Option(names = "--host", defaultValue = "127.0.0.1") String host;
  @Option(names = "--port", required = true) int port;
  @Option(names = "--label", defaultValue = "bridge") String label;
  @Option(names = "--workload", defaultValue = "MIX") Workload.Kind kind;
  @Option(names = "--connections", defaultValue = "4") int connections;
  @Option(names = "--in-flight", defaultValue = "16") int inFlight;
  @Option(names = "--warmup-ms", defaultValue = "1000") long warmupMs;
  @Option(names = "--duration-ms", defaultValue = "5000") long durationMs;
  @Option(names = "--rate", defaultValue = "0", description = "requests/s, open loop; 0: closed loop") double rate;
  @Option(names = "--run-id", required = true) String runId;
  @Option(names = "--native-transport", defaultValue = "true", arity = "1",
      description = "event loops on the platform's native transport (epoll), as the engine's; false: Java NIO")
  boolean nativeTransport;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadDriverMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Memory.watchCollections();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(2, connections))
        .setPreferNativeTransport(nativeTransport));
    try {
      LoadDriver.Settings settings = new LoadDriver.Settings(label, kind, connections, inFlight, warmupMs, durationMs, rate, runId);
      RunResult result = LoadDriver.run(vertx, settings, () -> Transport.bridge(vertx, host, port), null);
      JsonObject json = result.toJson().put("memory", Memory.snapshot().toJson());
      System.out.println(RESULT_PREFIX + json.encode());
      System.out.flush();
      return 0;
    } finally {
      vertx.close().await();
    }
  }
}
