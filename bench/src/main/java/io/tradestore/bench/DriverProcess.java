package io.tradestore.bench;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@link LoadDriverMain} in a second JVM with this JVM's class path (the jar, under {@code java -jar}). */
final class DriverProcess {
  record Outcome(RunResult result, Memory memory) { }

  private DriverProcess() { }

  /** {@code nativeTransport}: the driver's event loops on the platform's native transport, as the engine's are. */
  static Outcome run(Path workDir, int port, LoadDriver.Settings s, boolean nativeTransport)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx128m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(LoadDriverMain.class.getName());
    command.addAll(List.of("--port", String.valueOf(port), "--label", s.label(), "--workload", s.kind().name(),
        "--connections", String.valueOf(s.connections()), "--in-flight", String.valueOf(s.inFlight()),
        "--warmup-ms", String.valueOf(s.warmupMs()), "--duration-ms", String.valueOf(s.durationMs()),
        "--rate", String.valueOf(s.rate()), "--run-id", s.runId(), "--native-transport", String.valueOf(nativeTransport)));
    Path log = Files.createTempFile(workDir, "driver-", ".log");
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    String resultLine = null;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith(LoadDriverMain.RESULT_PREFIX)) {
          resultLine = line.substring(LoadDriverMain.RESULT_PREFIX.length());
        }
      }
    }
    long limit = Math.max(60_000, (s.warmupMs() + s.durationMs()) * 4);
    if (!process.waitFor(limit, TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("load driver did not finish; its log: " + log);
    }
    if (process.exitValue() != 0 || resultLine == null) {
      throw new IllegalStateException("load driver failed (exit " + process.exitValue() + "): " + Files.readString(log));
    }
    JsonObject json = new JsonObject(resultLine);
    RunResult result = RunResult.fromJson(json);
    if (result.firstError() != null) {
      // the driver's own log is deleted with the work directory: what it said goes into the bench's log
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      BenchCommand.log(s.label() + ": the load driver saw errors (first: " + result.firstError() + "); its log ends with:\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
    }
    return new Outcome(result, Memory.fromJson(json.getJsonObject("memory")));
  }
}
