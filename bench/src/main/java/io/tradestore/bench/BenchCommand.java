package io.tradestore.bench;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Statistic;
import io.tradestore.bench.start.CliStartCommand;
import io.tradestore.config.ConfigLoader;
import io.tradestore.config.EngineConfig;
import io.tradestore.config.EngineConfig.Synchronous;
import io.tradestore.startup.Engine;
import io.tradestore.store.StoreWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code java -jar target/tradestore-bench.jar}: in one run, the engine beside the ceilings of the same machine (plain
 * JDBC, a no-op TCP bridge), so every headline figure is a ratio that means the same on any machine.
 * docs/performance.md explains each figure.
 */
@Command(name = "tradestore-bench", mixinStandardHelpOptions = true, subcommands = CliStartCommand.class,
    description = "Measure the engine against the machine's own ceilings; --report docs/performance.md records the run.")
public final class BenchCommand implements Callable<Integer> {
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }

  @Option(names = "--quick", description = "Seconds, not minutes: short runs, FULL only, one open-loop rate (smoke test, development).")
  boolean quick;

  @Option(names = "--duration", description = "Measured seconds of each engine and bridge run (default 10; quick 0.5).")
  Double duration;

  @Option(names = "--warmup", description = "Unmeasured seconds before each run (default 3; quick 0.3).")
  Double warmup;

  @Option(names = "--raw-duration", description = "Measured seconds of each raw JDBC run (default 5; quick 0.25).")
  Double rawDuration;

  @Option(names = "--jit-warmup", description = "Seconds of an unrecorded engine run (fills, then the mix) before the first recorded one, so that the JIT's compiling is not billed to the first mode (default 20; quick 0).")
  Double jitWarmup;

  @Option(names = "--connections", defaultValue = "4", description = "Client connections (in-process: sending contexts). Default ${DEFAULT-VALUE}.")
  int connections;

  @Option(names = "--in-flight", defaultValue = "16", description = "Requests in flight per connection. Default ${DEFAULT-VALUE}.")
  int inFlight;

  @Option(names = "--synchronous", split = ",", description = "Synchronous modes to run the engine at (default NORMAL,FULL; quick FULL). The raw ceiling always runs both.")
  List<Synchronous> modes;

  @Option(names = "--rates", split = ",", description = "Open-loop rates as fractions of the closed-loop rate (default 0.25,0.5,0.75,0.9; quick 0.5). 0.5 is always run.")
  List<Double> rates;

  @Option(names = "--bridge-synchronous", description = "Synchronous mode of the engine run through the bridge (default: the last of --synchronous).")
  Synchronous bridgeMode;

  @Option(names = "--large", description = "Also build a database of --large-fills fills and measure startup and hot-query latency on it (minutes; GBs of disk).")
  boolean large;

  @Option(names = "--bulk-fills", description = "Fills exported and imported by the bulk-data probe. Default: 200000 (20000 with --quick).")
  Long bulkFills;

  @Option(names = "--large-fills", defaultValue = "1000000", description = "Fills in the --large database. Default ${DEFAULT-VALUE}.")
  long largeFills;

  @Option(names = "--soak", defaultValue = "0", description = "Minutes of an open-loop mix at 50%% of the FULL closed-loop rate, sampling the heap after GC every 30 s (issue 11: flat over 10 minutes). Default 0: off.")
  double soakMinutes;

  @Option(names = "--work-dir", description = "Keep the databases in a new run-<time> directory under DIR (default: a temp directory, deleted afterwards).")
  Path workDir;

  @Option(names = "--report", description = "Markdown file whose generated section (between bench markers) is replaced; created if absent. Default: performance.md in a new temp directory (the recorded run: --report docs/performance.md).")
  Path report;

  @Option(names = "--chart", description = "Throughput-latency chart, written under exactly this name (.png or .svg). Default: " + BenchOutputs.CHART_NAME + " beside the report.")
  Path chart;

  @Spec
  CommandSpec spec;

  @Option(names = "--note", description = "A note on the machine's load during the run, printed in the report.")
  String note;

  @Override
  public Integer call() throws Exception {
    refuseUnusableOptions();
    BenchOutputs outputs = BenchOutputs.resolve(report, chart);
    log("report will be written into " + outputs.report().toAbsolutePath() + ", chart " + outputs.chart().toAbsolutePath());
    Memory.watchCollections();
    double runSeconds = duration != null ? duration : quick ? 0.5 : 10;
    double warmSeconds = warmup != null ? warmup : quick ? 0.3 : 3;
    double rawSeconds = rawDuration != null ? rawDuration : quick ? 0.25 : 5;
    List<Synchronous> engineModes = modes != null ? modes : quick ? List.of(Synchronous.FULL) : List.of(Synchronous.NORMAL, Synchronous.FULL);
    List<Double> openRates = new ArrayList<>(rates != null ? rates : quick ? List.of(0.5) : List.of(0.25, 0.5, 0.75, 0.9));
    if (!openRates.contains(0.5)) {
      openRates.add(0.5);
    }
    openRates.sort(Comparator.naturalOrder());
    Synchronous viaBridge = bridgeMode != null ? bridgeMode : engineModes.get(engineModes.size() - 1);
    boolean temporary = workDir == null;
    // a fresh directory each run: the raw runs seed their orders into an empty database
    Path dir = temporary ? Files.createTempDirectory("tradestore-bench")
        : Files.createDirectories(workDir.resolve("run-" + java.time.Instant.now().toString().replace(':', '-')));
    long run = (long) (runSeconds * 1000);
    long warm = (long) (warmSeconds * 1000);

    BenchReport r = new BenchReport(connections, inFlight, runSeconds, warmSeconds, rawSeconds, quick, note);
    log("machine: " + r.machine());
    try {
      r.diskSyncMicros = DiskSyncProbe.run(dir, quick ? 200 : 2_000, false);
      r.diskSyncBesideCheckpointsMicros = DiskSyncProbe.run(dir, quick ? 200 : 2_000, true);
      for (var d : List.of(r.diskSyncMicros, r.diskSyncBesideCheckpointsMicros)) {
        log(String.format("disk: fdatasync p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%s", ms(d, 50), ms(d, 99),
            ms(d, 99.9), d.getMaxValue() / 1000.0, d == r.diskSyncMicros ? "" : " (beside checkpoint-like writes)"));
      }
      for (Synchronous s : List.of(Synchronous.NORMAL, Synchronous.FULL)) {
        for (int perTransaction : List.of(1, 100)) {
          EngineConfig config = config(dir.resolve("raw-" + s + "-" + perTransaction), s, Map.of());
          RawJdbcBench.Result raw = RawJdbcBench.run(config, perTransaction, (long) (rawSeconds * 250), (long) (rawSeconds * 1000));
          log(String.format("raw %s %d/tx: %.0f fills/s, %.0f bytes/fill", s, perTransaction, raw.fillsPerSecond(), raw.bytesPerFill()));
          r.raw.add(raw);
        }
      }

      EngineConfig defaults = config(dir.resolve("noop"), Synchronous.FULL, Map.of());
      int noopPort = freePort();
      try (NoopBridge noop = NoopBridge.start(defaults, noopPort)) {
        r.noopBridge = DriverProcess.run(dir, noopPort, settings("no-op bridge", Workload.Kind.MIX, warm, run, 0),
            defaults.vertx().preferNativeTransport()).result();
        log(String.format("no-op bridge: %.0f req/s", r.noopBridge.commandsPerSecond()));
      }

      double jitSeconds = jitWarmup != null ? jitWarmup : quick ? 0 : 20;
      if (jitSeconds > 0) {
        warmJit(dir, (long) (jitSeconds * 1000));
      }
      for (Synchronous s : engineModes) {
        runEngine(r, dir, s, s == viaBridge, warm, run, openRates);
      }
      runBulkData(r, dir);
      runAlerts(r, dir, warm, run);
      if (large) {
        runLarge(r, dir);
      }
      if (soakMinutes > 0) {
        runSoak(r, dir);
      }
      r.benchMemory = Memory.snapshot();
    } finally {
      if (temporary) {
        deleteTree(dir);
      }
    }
    String markdown = r.markdown();
    System.out.println(markdown);
    r.writeInto(outputs.report());
    ThroughputLatencyChart.write(r, outputs.chart());
    log("report written into " + outputs.report().toAbsolutePath() + ", chart " + outputs.chart().toAbsolutePath());
    return 0;
  }

  /** Usage errors (exit 2), found before anything runs: a bench that fails after minutes on a bad option wastes them. */
  private void refuseUnusableOptions() {
    positive("--duration", duration);
    positive("--raw-duration", rawDuration);
    notNegative("--warmup", warmup);
    notNegative("--jit-warmup", jitWarmup);
    positive("--connections", (double) connections);
    positive("--in-flight", (double) inFlight);
    positive("--large-fills", (double) largeFills);
    if (bulkFills != null) {
      positive("--bulk-fills", (double) bulkFills);
    }
    notNegative("--soak", soakMinutes);
    if (rates != null) {
      rates.forEach(rate -> positive("--rates", rate));
    }
    if (chart != null && !BenchOutputs.isChartName(chart)) {
      throw new ParameterException(spec.commandLine(), "--chart must name a .png or .svg file, not '" + chart + "'");
    }
  }

  private void positive(String option, Double value) {
    // written so that NaN fails too
    if (value != null && !(value > 0)) {
      throw new ParameterException(spec.commandLine(), option + " must be greater than 0, not " + value);
    }
  }

  private void notNegative(String option, Double value) {
    if (value != null && !(value >= 0)) {
      throw new ParameterException(spec.commandLine(), option + " must be 0 or more, not " + value);
    }
  }

  /** How often the thread sampler looks at the threads during the fills-only run. */
  static final long SAMPLE_EVERY_MS = 50;

  /** Commands per second of the idle run: far below capacity, so the writer and the outbox wait between them. */
  static final int IDLE_RATE = 20;

  private void runEngine(BenchReport r, Path dir, Synchronous s, boolean viaBridge, long warm, long run,
                         List<Double> openRates) throws Exception {
    Path engineDir = dir.resolve("engine-" + s);
    EngineConfig config = config(engineDir, s, Map.of("bridge.port", freePort(), "http.port", freePort()));
    long begin = System.nanoTime();
    Engine engine = Engine.start(config);
    BenchReport.EngineRuns e = new BenchReport.EngineRuns(s);
    e.startupMillis = (System.nanoTime() - begin) / 1e6;
    log(String.format("engine %s started in %.0f ms", s, e.startupMillis));
    Vertx vertx = engine.vertx();
    r.transport = Engine.transportName(vertx);
    StoreWriter writer = engine.startup().store().writer();
    org.HdrHistogram.Recorder transactions = new org.HdrHistogram.Recorder(60_000_000L, 3);
    java.util.concurrent.atomic.AtomicBoolean timingTransactions = new java.util.concurrent.atomic.AtomicBoolean();
    writer.addTransactionObserver((commands, nanos, outcome) -> {
      if (timingTransactions.get()) {
        transactions.recordValue(Math.max(1, Math.min(60_000_000L, nanos / 1_000)));
      }
    });
    try (EventsProbe probe = new EventsProbe(vertx)) {
      // the fill path alone: comparable with the raw ceiling, fill for fill; sampled and counted
      long commits = writer.commitCount();
      double hops = workerTasks(engine.registry());
      double statements = sqlStatements(engine.registry());
      java.util.concurrent.atomic.LongAdder answered = new java.util.concurrent.atomic.LongAdder();
      CpuAccount cpu = new CpuAccount();
      // every 50 ms: each sample stops every thread at a safepoint, and at 5 ms that cost the measured fills run
      // 12-16% of its throughput (three alternating pairs, 7,080-7,487 against 5,959-6,678 fills/s); at 50 ms the
      // pairs are within their noise
      try (ThreadSampler sampler = new ThreadSampler(SAMPLE_EVERY_MS); HopProbe hop = new HopProbe(vertx, 3)) {
        e.fillsOnly = observed(e, engine, settings("in-process fills " + s, Workload.Kind.FILLS, warm, run, 0),
            (step, at) -> answered.increment());
        e.sqliteShare = sampler.sqliteShare();
        e.workerJavaShare = sampler.workerJavaShare();
        e.eventLoopsBusy = sampler.eventLoopsBusy();
        e.eventLoops = sampler.eventLoops;
        e.sqliteFrames = sampler.topSqliteFrames(5);
        e.hopMicros = hop.roundTripMicros.getIntervalHistogram();
      }
      // counted over the whole run (warm-up, measurement, drain): every command answered, every commit made
      long fillCommands = answered.sum();
      e.cpuNanos = cpu.delta();
      e.runQueueNanos = cpu.runQueueDelta();
      e.commitsFillsOnly = writer.commitCount() - commits;
      e.fillCommandsCounted = fillCommands;
      // minus the hop probe's own tasks
      e.workerTasksPerCommand = (workerTasks(engine.registry()) - hops - e.hopMicros.getTotalCount()) / Math.max(1, fillCommands);
      e.sqlStatementsPerCommand = (sqlStatements(engine.registry()) - statements) / Math.max(1, fillCommands);
      log(String.format("engine %s fills only: %.0f fills/s, %.1f worker tasks/fill, %.0f%% of samples inside SQLite",
          s, e.fillsOnly.fillsPerSecond(), e.workerTasksPerCommand, 100 * e.sqliteShare));

      commits = writer.commitCount();
      answered.reset();
      e.mixClosed = observed(e, engine, settings("in-process mix " + s, Workload.Kind.MIX, warm, run, 0),
          (step, at) -> answered.increment());
      e.commandsPerCommit = answered.sum() / (double) Math.max(1, writer.commitCount() - commits);
      log(String.format("engine %s mix closed loop: %.0f cmd/s, p99 %.1f ms, %.1f commands/commit", s,
          e.mixClosed.commandsPerSecond(), e.mixClosed.percentileMillis(99), e.commandsPerCommit));

      for (double fraction : openRates) {
        double rate = Math.max(10, fraction * e.mixClosed.commandsPerSecond());
        boolean probed = fraction == 0.5;
        probe.active = probed;
        probe.replyToPublishMicros.reset();
        probe.occurredToPublishMicros.reset();
        long before = writer.commitCount();
        answered.reset();
        transactions.reset();
        timingTransactions.set(probed);
        CpuAccount cpuAtHalf = probed ? new CpuAccount() : null;
        RunResult open = observed(e, engine, settings(String.format("in-process mix %s open %.0f%%", s, fraction * 100),
            Workload.Kind.MIX, warm, run, rate), (step, at) -> {
              answered.increment();
              if (probed) {
                probe.answered(step, at);
              }
            });
        probe.active = false;
        timingTransactions.set(false);
        e.open.put(fraction, open);
        if (probed) {
          e.transactionMicrosAtHalf = transactions.getIntervalHistogram();
          e.replyToPublish = probe.replyToPublishMicros.getIntervalHistogram();
          e.occurredToPublish = probe.occurredToPublishMicros.getIntervalHistogram();
          e.commandsPerCommitAtHalf = answered.sum() / (double) Math.max(1, writer.commitCount() - before);
          e.cpuNanosAtHalf = cpuAtHalf.delta();
          e.runQueueNanosAtHalf = cpuAtHalf.runQueueDelta();
          e.commandsAtHalf = answered.sum();
        }
        log(String.format("engine %s open loop %.0f/s: p50 %.2f ms p99 %.2f ms p99.9 %.2f ms", s, rate,
            open.percentileMillis(50), open.percentileMillis(99), open.percentileMillis(99.9)));
      }

      // idle: a trickle of commands, so the outbox latency is the dispatcher's own, not a queue's
      probe.replyToPublishMicros.reset();
      probe.occurredToPublishMicros.reset();
      probe.active = true;
      observed(e, engine, settings("in-process mix " + s + " idle", Workload.Kind.MIX, 0, run, IDLE_RATE),
          (step, at) -> probe.answered(step, at));
      Thread.sleep(200); // the last events' publication
      probe.active = false;
      e.replyToPublishIdle = probe.replyToPublishMicros.getIntervalHistogram();
      e.occurredToPublishIdle = probe.occurredToPublishMicros.getIntervalHistogram();
      log(String.format("engine %s idle: commit -> publish p50 %.2f ms p99 %.2f ms", s,
          ms(e.replyToPublishIdle, 50), ms(e.replyToPublishIdle, 99)));

      if (viaBridge) {
        int port = config.bridge().port();
        boolean nativeTransport = config.vertx().preferNativeTransport();
        e.bridgeClosed = DriverProcess.run(engineDir, port, settings("bridge mix " + s, Workload.Kind.MIX, warm, run, 0),
            nativeTransport).result();
        log(String.format("engine %s through the bridge: %.0f cmd/s, p99 %.1f ms", s, e.bridgeClosed.commandsPerSecond(),
            e.bridgeClosed.percentileMillis(99)));
        DriverProcess.Outcome half = DriverProcess.run(engineDir, port, settings("bridge mix " + s + " open 50%",
            Workload.Kind.MIX, warm, run, Math.max(10, 0.5 * e.bridgeClosed.commandsPerSecond())), nativeTransport);
        e.bridgeOpenHalf = half.result();
        e.driverMemory = half.memory();
        log(String.format("engine %s through the bridge, open loop 50%%: p99 %.2f ms", s, e.bridgeOpenHalf.percentileMillis(99)));
      }
    } finally {
      engine.stop().await(60, TimeUnit.SECONDS);
    }
    Path db = config.database().path();
    e.databaseBytes = Files.size(db) + (Files.exists(Path.of(db + "-wal")) ? Files.size(Path.of(db + "-wal")) : 0);
    e.fillsWritten = fillsWritten(db);
    r.engines.add(e);
  }

  /**
   * The first engine run of a JVM used to pay the JIT's compiling (measured: 0.9 of the 2 cores in "GC, JIT and
   * other" during it, against 0.2 in the next): an unrecorded engine on a scratch database takes that cost.
   */
  private void warmJit(Path dir, long millis) throws Exception {
    EngineConfig config = config(dir.resolve("jit-warmup"), Synchronous.NORMAL,
        Map.of("bridge.port", freePort(), "http.port", freePort()));
    Engine engine = Engine.start(config);
    try {
      inProcess(engine.vertx(), settings("jit warm-up fills", Workload.Kind.FILLS, 0, millis / 2, 0), (step, at) -> { });
      inProcess(engine.vertx(), settings("jit warm-up mix", Workload.Kind.MIX, 0, millis / 2, 0), (step, at) -> { });
    } finally {
      engine.stop().await(60, TimeUnit.SECONDS);
    }
    log(String.format("JIT warm-up: %.0f s of unrecorded engine load", millis / 1000.0));
  }

  private void runBulkData(BenchReport r, Path dir) throws Exception {
    long fills = bulkFills != null ? bulkFills : quick ? 20_000 : 200_000;
    Path bulk = Files.createDirectories(dir.resolve("bulk"));
    // the target as the import verb shapes its own engine: no listeners, no retention
    EngineConfig target = config(bulk.resolve("target"), Synchronous.FULL, Map.of("bridge.enabled", false,
        "http.enabled", false, "retention.atStartup", false));
    r.bulk = BulkDataProbe.run(config(bulk.resolve("source"), Synchronous.FULL, Map.of()), target, fills, bulk);
    log(String.format("export: %,.0f fills/s (sqlite3 -csv: %,.0f/s); import: %,.0f rows/s, %d rejected",
        r.bulk.exportRowsPerSecond(), r.bulk.sqliteRowsPerSecond(), r.bulk.importRowsPerSecond(), r.bulk.rejected()));
  }

  private void runAlerts(BenchReport r, Path dir, long warm, long run) throws Exception {
    EngineConfig bare = config(dir.resolve("alerts-none"), Synchronous.FULL, Map.of("bridge.port", freePort(), "http.port", freePort()));
    EngineConfig loaded = config(dir.resolve("alerts-loaded"), Synchronous.FULL, Map.of("bridge.port", freePort(), "http.port", freePort()));
    r.alerts = AlertProbe.run(bare, loaded, quick ? 2_000 : AlertProbe.ALERTS, (engine, label) -> inProcess(engine.vertx(),
        settings(label, Workload.Kind.QUOTES, warm, run, 0), (step, at) -> { }));
    log(String.format("alerts: %,.0f quotes/s with none, %,.0f with %,d (%.0f%%); %d bytes per alert; %,.0f creates/s",
        r.alerts.without().commandsPerSecond(), r.alerts.with().commandsPerSecond(), r.alerts.alerts(),
        100 * r.alerts.ratio(), r.alerts.bytesPerAlert(), r.alerts.createsPerSecond()));
  }

  private void runLarge(BenchReport r, Path dir) throws Exception {
    EngineConfig config = config(dir.resolve("large"), Synchronous.FULL, Map.of("bridge.port", freePort(), "http.port", freePort()));
    long begin = System.nanoTime();
    LargeDatabase.build(config, largeFills);
    r.largeBuildSeconds = (System.nanoTime() - begin) / 1e9;
    r.largeFills = fillsWritten(config.database().path());
    r.largeBytes = Files.size(config.database().path());
    log(String.format("large database: %,d fills, %s, built in %.0f s", r.largeFills, BenchReport.mib(r.largeBytes), r.largeBuildSeconds));
    begin = System.nanoTime();
    Engine engine = Engine.start(config);
    r.largeStartupMillis = (System.nanoTime() - begin) / 1e6;
    log(String.format("engine started on it in %.0f ms", r.largeStartupMillis));
    try {
      r.hotQueries = LargeDatabase.hotQueries(engine.vertx(), largeFills, quick ? 200 : 5000, quick ? 100 : 3000);
    } finally {
      engine.stop().await(120, TimeUnit.SECONDS);
    }
  }

  private RunResult inProcess(Vertx vertx, LoadDriver.Settings settings, java.util.function.BiConsumer<Workload.Step, Long> onAnswered)
      throws Exception {
    return LoadDriver.run(vertx, settings, () -> Future.succeededFuture(Transport.eventBus(vertx)), onAnswered);
  }

  /**
   * A run with the writer watched: its queue depth sampled every 2 ms (saturated or not), and the outbox backlog
   * (PENDING + IN_FLIGHT events) once the run is over (whether the dispatcher keeps up).
   */
  /** A long open-loop run at half the FULL capacity; the heap after a full GC is sampled every 30 s. */
  private void runSoak(BenchReport r, Path dir) throws Exception {
    BenchReport.EngineRuns full = r.engines.stream().filter(e -> e.synchronous == Synchronous.FULL).findFirst()
        .orElse(r.engines.get(r.engines.size() - 1));
    double rate = Math.max(10, 0.5 * full.mixClosed.commandsPerSecond());
    long millis = (long) (soakMinutes * 60_000);
    EngineConfig config = config(dir.resolve("soak"), Synchronous.FULL, Map.of("bridge.port", freePort(), "http.port", freePort()));
    Engine engine = Engine.start(config);
    List<double[]> samples = java.util.Collections.synchronizedList(new ArrayList<>());
    org.HdrHistogram.Recorder windows = new org.HdrHistogram.Recorder(3);
    long begin = System.nanoTime();
    java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
    Thread sampler = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          Thread.sleep(30_000);
          // the replies of the 30 s just ended, before this GC pauses the engine
          org.HdrHistogram.Histogram window = windows.getIntervalHistogram();
          System.gc();
          Thread.sleep(200);
          double seconds = (System.nanoTime() - begin) / 1e9;
          samples.add(new double[] {seconds, memory.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0),
              ms(window, 99), window.getMaxValue() / 1000.0, window.getTotalCount() / 30.0});
          log(String.format("soak %.0f s: heap after GC %.1f MiB; replies of the last 30 s: p99 %.1f ms, max %.1f ms, %.0f/s",
              seconds, samples.get(samples.size() - 1)[1], ms(window, 99), window.getMaxValue() / 1000.0, window.getTotalCount() / 30.0));
        }
      } catch (InterruptedException done) {
        Thread.currentThread().interrupt();
      }
    }, "bench-soak-sampler");
    sampler.setDaemon(true);
    sampler.start();
    try {
      RunResult result = LoadDriver.run(engine.vertx(), settings("soak mix FULL", Workload.Kind.MIX, 0, millis, rate),
          () -> Future.succeededFuture(Transport.eventBus(engine.vertx())), (step, at) -> { }, windows);
      r.soak = new BenchReport.Soak(soakMinutes, rate, new ArrayList<>(samples), result);
      log(String.format("soak: %s, heap growth %.1f MiB", r.soak.flat() ? "flat" : "GROWING", r.soak.growthMiB()));
    } finally {
      sampler.interrupt();
      sampler.join(1000);
      engine.stop().await(60, TimeUnit.SECONDS);
    }
  }

  private RunResult observed(BenchReport.EngineRuns e, Engine engine, LoadDriver.Settings settings,
                             java.util.function.BiConsumer<Workload.Step, Long> onAnswered) throws Exception {
    StoreWriter writer = engine.startup().store().writer();
    Histogram depth = new Histogram(3);
    // commands per committed transaction: group commit's batch sizes (a mark transaction of the outbox counts one)
    Histogram batchSizes = new Histogram(3);
    StoreWriter.TransactionObserver batches = (commands, nanos, outcome) -> {
      if (outcome == StoreWriter.TransactionOutcome.COMMITTED) {
        synchronized (batchSizes) {
          batchSizes.recordValue(Math.max(1, commands));
        }
      }
    };
    writer.addTransactionObserver(batches);
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        synchronized (depth) {
          depth.recordValue(writer.queueDepth());
        }
        try {
          Thread.sleep(2);
        } catch (InterruptedException x) {
          return;
        }
      }
    }, "bench-queue-sampler");
    sampler.setDaemon(true);
    sampler.start();
    RunResult result;
    try {
      result = inProcess(engine.vertx(), settings, onAnswered);
    } finally {
      sampler.interrupt();
      sampler.join(1000);
      writer.removeTransactionObserver(batches);
    }
    var status = engine.vertx().eventBus().<io.vertx.core.json.JsonObject>request(io.tradestore.Addresses.OUTBOX_STATUS,
        new io.vertx.core.json.JsonObject().put("limit", 1)).await(30, TimeUnit.SECONDS).body();
    var counts = status.getJsonObject("counts");
    long backlog = counts.getLong("PENDING", 0L) + counts.getLong("IN_FLIGHT", 0L);
    Histogram batchSizesOfRun;
    synchronized (batchSizes) {
      batchSizesOfRun = batchSizes.copy();
    }
    synchronized (depth) {
      e.writerWatch.add(new BenchReport.WriterWatch(result.label(), depth.getMean(), depth.getValueAtPercentile(99),
          depth.getMaxValue(), backlog, counts.getLong("PUBLISHED", 0L), batchSizesOfRun));
    }
    return result;
  }

  private LoadDriver.Settings settings(String label, Workload.Kind kind, long warm, long run, double rate) {
    String runId = UUID.randomUUID().toString().substring(0, 8);
    return new LoadDriver.Settings(label, kind, connections, inFlight, warm, run, rate, runId);
  }

  /**
   * Tasks run on Vert.x worker pools other than the writer's own thread: each is a hop from one thread to another.
   * The writer's thread runs every step of the writer as a task of its pool (taking each command, each batch), which
   * are not hops and are not counted.
   */
  private static double workerTasks(MeterRegistry registry) {
    return count(registry.find("vertx.pool.usage").tag("pool_type", "worker").meters().stream()
        .filter(m -> !StoreWriter.THREAD_NAME.equals(m.getId().getTag("pool_name"))).toList());
  }

  private static double sqlStatements(MeterRegistry registry) {
    return count(registry.find("vertx.sql.processing.time").meters());
  }

  private static double count(java.util.Collection<Meter> meters) {
    double sum = 0;
    for (Meter meter : meters) {
      for (Measurement m : meter.measure()) {
        if (m.getStatistic() == Statistic.COUNT) {
          sum += m.getValue();
        }
      }
    }
    return sum;
  }

  private static long fillsWritten(Path db) {
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
         var rs = c.createStatement().executeQuery("SELECT count(*) FROM fills")) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (java.sql.SQLException ex) {
      return -1;
    }
  }

  private static EngineConfig config(Path dir, Synchronous synchronous, Map<String, Object> more) {
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("database.path", dir.resolve("tradestore.db").toString());
    overrides.put("database.synchronous", synchronous.name());
    overrides.put("migrations.backupDirectory", dir.resolve("backups").toString());
    overrides.putAll(more);
    return ConfigLoader.load(null, overrides);
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static void log(String line) {
    System.err.println("bench: " + line);
  }

  /** A histogram's percentile in milliseconds, NaN when empty. */
  static double ms(Histogram h, double percentile) {
    return h == null || h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
  }
}
