package io.tradestore.bench;

import io.tradestore.Addresses;
import io.tradestore.alert.AlertJson;
import io.tradestore.config.EngineConfig;
import io.tradestore.domain.Accounts;
import io.tradestore.domain.alert.Alert;
import io.tradestore.domain.alert.Alert.Condition;
import io.tradestore.domain.alert.Alert.Kind;
import io.tradestore.domain.alert.Alert.Repeat;
import io.tradestore.domain.alert.AlertIndex;
import io.tradestore.startup.Engine;
import io.tradestore.store.SqliteConnections;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.lang.ref.Reference;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Quotes with and without alerts waiting on their symbols: the same quote load on an engine with no alert and on
 * one with many active alerts ({@link #ALERTS} in a full run) spread over the bench's symbols, created through the bus
 * beforehand. The
 * alerts wait at levels the run's quotes never reach (above and below {@link Workload#QUOTE_LOW}–{@link
 * Workload#QUOTE_HIGH}), as alerts mostly do, so the difference is the evaluation's cost and not the firings' rows.
 * The two engines take turns, {@link #ROUNDS} runs each, each started afresh on its database, and each side's best
 * run counts: a run here is noisier (±10% between two runs of the same engine) than the difference measured, and
 * noise only ever slows a run. The memory per alert is that of the alerts held in an {@link AlertIndex}, measured
 * apart in this JVM.
 */
final class AlertProbe {
  static final int ALERTS = 100_000;
  private static final int IN_FLIGHT = 256;
  private static final int ROUNDS = 2;
  private static final Kind[] KINDS = {Kind.BID, Kind.ASK, Kind.MID};
  private static final Condition[] CONDITIONS = {Condition.ABOVE, Condition.BELOW, Condition.CROSSES_ABOVE,
      Condition.CROSSES_BELOW};

  /** What the probe measured; {@code firings} counts the firings stored after the loaded runs (expected none). */
  record Result(List<RunResult> withoutRuns, List<RunResult> withRuns, int alerts, double createSeconds,
                double loadedStartupMillis, long bytesPerAlert, long firings) {
    RunResult without() {
      return best(withoutRuns);
    }

    RunResult with() {
      return best(withRuns);
    }

    double ratio() {
      return with().commandsPerSecond() / without().commandsPerSecond();
    }

    /** The runs as they took turns. */
    List<RunResult> runsInOrder() {
      List<RunResult> runs = new ArrayList<>();
      for (int i = 0; i < withoutRuns.size(); i++) {
        runs.add(withoutRuns.get(i));
        runs.add(withRuns.get(i));
      }
      return runs;
    }

    private static RunResult best(List<RunResult> runs) {
      return runs.stream().max(Comparator.comparingDouble(RunResult::commandsPerSecond)).orElseThrow();
    }

    double createsPerSecond() {
      return alerts / createSeconds;
    }
  }

  /** A quote run on a started engine, labelled. */
  @FunctionalInterface
  interface QuoteRun {
    RunResult on(Engine engine, String label) throws Exception;
  }

  private AlertProbe() { }

  static Result run(EngineConfig bare, EngineConfig loaded, int alerts, QuoteRun quotes) throws Exception {
    long bytesPerAlert = bytesPerAlert(alerts);
    Engine engine = Engine.start(loaded);
    double createSeconds;
    try {
      long begin = System.nanoTime();
      create(engine.vertx().eventBus(), alerts);
      createSeconds = (System.nanoTime() - begin) / 1e9;
      // the creates' alert.created events published before the measured runs, whose dispatcher would otherwise
      // share the writer and the cores with them
      awaitOutboxDrained(loaded);
    } finally {
      engine.stop().await(60, TimeUnit.SECONDS);
    }
    List<RunResult> without = new ArrayList<>();
    List<RunResult> with = new ArrayList<>();
    double startupMillis = Double.NaN;
    for (int round = 1; round <= ROUNDS; round++) {
      without.add(runOn(bare, quotes, "quotes, no alert, run " + round));
      // started again on the alerts: the quote run meets them as an engine does after any restart, loaded
      long begin = System.nanoTime();
      engine = Engine.start(loaded);
      if (round == 1) {
        startupMillis = (System.nanoTime() - begin) / 1e6;
      }
      try {
        with.add(quotes.on(engine, String.format("quotes, %,d alerts, run %d", alerts, round)));
      } finally {
        engine.stop().await(60, TimeUnit.SECONDS);
      }
    }
    return new Result(without, with, alerts, createSeconds, startupMillis, bytesPerAlert, firings(loaded));
  }

  private static RunResult runOn(EngineConfig config, QuoteRun quotes, String label) throws Exception {
    Engine engine = Engine.start(config);
    try {
      return quotes.on(engine, label);
    } finally {
      engine.stop().await(60, TimeUnit.SECONDS);
    }
  }

  /** Alert {@code i}: a symbol, a kind and a condition in turn; a threshold outside the band the quotes move in. */
  static Alert alert(int i) {
    Condition condition = CONDITIONS[(i / KINDS.length) % CONDITIONS.length];
    long step = i % 4_000; // in cents, up to 40.00 away from the band
    BigDecimal threshold = BigDecimal.valueOf(condition.isUpward() ? Workload.QUOTE_HIGH + 1 + step
        : Workload.QUOTE_LOW - 1 - step, 2);
    boolean rearm = i % 2 == 0;
    return Alert.create("bench-alert-" + i, Accounts.DEFAULT, Workload.symbol(i), KINDS[i % KINDS.length], condition,
        threshold, rearm ? Repeat.REARM : Repeat.ONCE, rearm ? BigDecimal.ONE : null, null, null, 0);
  }

  private static JsonObject request(Alert a) {
    JsonObject body = new JsonObject().put("alertId", a.alertId()).put("symbol", a.symbol())
        .put("kind", AlertJson.name(a.kind())).put("condition", AlertJson.name(a.condition()))
        .put("threshold", a.threshold().toPlainString()).put("repeat", AlertJson.name(a.repeat()));
    return a.rearmBy() == null ? body : body.put("rearmBy", a.rearmBy().toPlainString());
  }

  /** The alerts created as a client would, {@link #IN_FLIGHT} requests at a time; any refusal ends the probe. */
  private static void create(EventBus bus, int alerts) throws Exception {
    Semaphore window = new Semaphore(IN_FLIGHT);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    for (int i = 0; i < alerts && failed.get() == null; i++) {
      window.acquire();
      bus.request(Addresses.ALERTS_CREATE, request(alert(i))).onComplete(done -> {
        if (done.failed()) {
          failed.compareAndSet(null, done.cause());
        }
        window.release();
      });
    }
    if (!window.tryAcquire(IN_FLIGHT, 60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("alert creates still unanswered after 60 s");
    }
    if (failed.get() != null) {
      throw new IllegalStateException("an alert create failed: " + failed.get(), failed.get());
    }
  }

  /** The heap that {@code alerts} alerts take in an index (after a collection on each side), per alert. */
  private static long bytesPerAlert(int alerts) {
    long before = usedAfterGc();
    AlertIndex index = new AlertIndex();
    for (int i = 0; i < alerts; i++) {
      index.put(alert(i));
    }
    index.committed();
    long after = usedAfterGc();
    Reference.reachabilityFence(index);
    return (after - before) / alerts;
  }

  private static long usedAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static void awaitOutboxDrained(EngineConfig config) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (count(config, "SELECT count(*) FROM outbox WHERE status <> 'PUBLISHED'") > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the alert creates' events were not published within 300 s");
      }
      Thread.sleep(100);
    }
  }

  private static long firings(EngineConfig config) throws Exception {
    return count(config, "SELECT count(*) FROM alert_firings");
  }

  private static long count(EngineConfig config, String sql) throws Exception {
    try (Connection c = SqliteConnections.reader(config.database()).getConnection();
         Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }
}
