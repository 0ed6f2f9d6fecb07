package io.tradestore.alert;

import io.tradestore.Addresses;
import io.tradestore.bridge.BridgeClient;
import io.tradestore.domain.alert.Alert;
import io.tradestore.domain.alert.Alert.Condition;
import io.tradestore.domain.alert.Alert.Kind;
import io.tradestore.domain.alert.Alert.Repeat;
import io.tradestore.domain.alert.AlertRules;
import io.tradestore.support.Db;
import io.tradestore.support.EngineProcess;
import io.tradestore.support.TestEngineConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "An alert is never fired twice for one crossing, including across a crash and restart" (issue 25), tried with
 * SIGKILL: the engine, a separate JVM, is killed at random moments while a market maker streams quotes whose prices
 * wander across the thresholds of crossing, level and rearming alerts; a quote cut off by a kill is sent again, with
 * the same id, once the engine is back. After the last life the firings stored, and the alert.triggered events in
 * the outbox, must be exactly those of the rules replayed one alert at a time over the quote path: none lost, none
 * twice, and a crossing right after a restart measured from the last quote before the kill.
 */
class AlertCrashTest {
  private static final int KILLS = 4;
  private static final int QUOTES_PER_SYMBOL = 1_000;
  private static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT", "SOLUSDT");
  private static final List<Integer> THRESHOLDS = List.of(98, 100, 102, 104);
  private static final Duration RUN_BOUND = Duration.ofSeconds(90);

  @TempDir Path dir;

  /** One life of the engine: its bridge port (a later life may be given the same number). */
  private record Life(int number, int port) { }

  /** One quote of the path: its id, symbol, bid and ask (mid = bid + 0.01). */
  private record PathQuote(String quoteId, String symbol, BigDecimal bid, BigDecimal ask) {
    JsonObject request() {
      return new JsonObject().put("quoteId", quoteId).put("symbol", symbol)
          .put("bidPrice", bid.toPlainString()).put("bidQuantity", "1")
          .put("askPrice", ask.toPlainString()).put("askQuantity", "1");
    }

    BigDecimal value(Kind kind) {
      return switch (kind) {
        case BID -> bid;
        case ASK -> ask;
        case MID -> bid.add(ask).divide(BigDecimal.valueOf(2));
        default -> throw new IllegalArgumentException(kind.name());
      };
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void sigkillsWhileQuotesCrossAlertsNeitherLoseNorRepeatAFiring() throws Exception {
    long seed = Long.getLong("alertcrash.seed", System.nanoTime());
    System.out.println("AlertCrashTest: seed " + seed + " (repeat with -Dalertcrash.seed=" + seed + ")");
    Random random = new Random(seed);
    List<Alert> alerts = alerts();
    List<PathQuote> path = path(random);
    Path db = dir.resolve("db/trades.db");
    long deadline = System.nanoTime() + RUN_BOUND.toNanos();

    AtomicReference<Life> current = new AtomicReference<>();
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger resentAfterKill = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread maker = new Thread(() -> {
      try {
        quoteThrough(current, alerts, path, sent, resentAfterKill, deadline);
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "alertcrash-maker");
    maker.setDaemon(true);

    EngineProcess engine = null;
    try {
      for (int life = 0; life <= KILLS; life++) {
        int bridgePort = TestEngineConfig.freePort();
        engine = EngineProcess.start(dir, Map.of("TRADESTORE_BRIDGE_PORT", String.valueOf(bridgePort),
            "TRADESTORE_HTTP_PORT", String.valueOf(TestEngineConfig.freePort())), "--db", db.toString());
        engine.awaitOutput("ready in", Duration.ofSeconds(30));
        current.set(new Life(life, bridgePort));
        if (life == 0) {
          maker.start();
        }
        if (life == KILLS) {
          break;
        }
        // every kill lands after a quote of its life was answered: a life in which none got through would prove
        // nothing about firings
        int atLeast = Math.max(sent.get(), alerts.size()) + 1;
        Thread.sleep(300 + random.nextInt(900));
        while (sent.get() < atLeast && failure.get() == null && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertNull(failure.get(), () -> "the market maker failed: " + failure.get());
        assertTrue(sent.get() < alerts.size() + path.size(), "the kill lands while quotes are still flowing");
        current.set(null); // from now on a lost connection is the kill's doing
        assertEquals(137, engine.kill(Duration.ofSeconds(10)), "killed by SIGKILL (128 + 9)");
        System.out.println("AlertCrashTest: life " + life + " killed after " + sent.get() + " requests answered");
      }
      maker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      assertNull(failure.get(), () -> "the market maker failed: " + failure.get());
      assertTrue(!maker.isAlive(), () -> "the quote path was not through by the run's bound: " + sent.get() + " of "
          + (alerts.size() + path.size()) + " requests answered");

      Map<String, List<String>> expected = replay(alerts, path);
      Db file = Db.readOnly(db);
      Map<String, List<String>> stored = firings(file.rows(
          "SELECT alert_id AS a, cause_id AS c FROM alert_firings ORDER BY id"));
      Map<String, List<String>> published = firings(file.rows("SELECT json_extract(payload, '$.alert.alertId') AS a,"
          + " json_extract(payload, '$.causeId') AS c FROM outbox WHERE event_type = 'alert.triggered' ORDER BY seq"));
      long firingCount = expected.values().stream().mapToLong(List::size).sum();
      assertTrue(firingCount > 50, "the path crosses the thresholds often: " + firingCount + " firings");
      assertEquals(expected, stored, "the firings stored are the rules' own, each once");
      assertEquals(expected, published, "one alert.triggered event per firing, in the same order");
      assertEquals(path.size(), file.count("quotes"), "every quote of the path stored once");
      System.out.printf("AlertCrashTest: seed %d: %d SIGKILLs, %d quotes (%d resent after a kill), %d alerts,"
          + " %d firings, each once%n", seed, KILLS, path.size(), resentAfterKill.get(), alerts.size(), firingCount);
    } catch (Throwable e) {
      if (engine != null) {
        String output = engine.output();
        System.out.println("AlertCrashTest: the last life's output:\n" + output.substring(Math.max(0, output.length() - 20_000)));
      }
      throw e;
    } finally {
      current.set(null);
      if (engine != null && engine.process.isAlive()) {
        engine.process.destroyForcibly();
      }
    }
  }

  /** Per symbol, around each threshold: crossings both ways that rearm, a level that fires once, an ask that rearms. */
  private static List<Alert> alerts() {
    List<Alert> alerts = new ArrayList<>();
    for (String symbol : SYMBOLS) {
      for (int threshold : THRESHOLDS) {
        BigDecimal t = BigDecimal.valueOf(threshold);
        String prefix = symbol + "-" + threshold;
        alerts.add(alert(prefix + "-up", symbol, Kind.MID, Condition.CROSSES_ABOVE, t, Repeat.REARM, "1"));
        alerts.add(alert(prefix + "-down", symbol, Kind.MID, Condition.CROSSES_BELOW, t, Repeat.REARM, "1"));
        alerts.add(alert(prefix + "-bid", symbol, Kind.BID, Condition.ABOVE, t, Repeat.ONCE, null));
        alerts.add(alert(prefix + "-ask", symbol, Kind.ASK, Condition.BELOW, t, Repeat.REARM, "0.5"));
      }
    }
    return alerts;
  }

  private static Alert alert(String id, String symbol, Kind kind, Condition condition, BigDecimal threshold,
                             Repeat repeat, String rearmBy) {
    return Alert.create(id, "default", symbol, kind, condition, threshold, repeat,
        rearmBy == null ? null : new BigDecimal(rearmBy), null, null, 0);
  }

  private static JsonObject request(Alert a) {
    JsonObject request = new JsonObject().put("alertId", a.alertId()).put("symbol", a.symbol())
        .put("kind", AlertJson.name(a.kind())).put("condition", AlertJson.name(a.condition()))
        .put("threshold", a.threshold().toPlainString()).put("repeat", AlertJson.name(a.repeat()));
    return a.rearmBy() == null ? request : request.put("rearmBy", a.rearmBy().toPlainString());
  }

  /** A random walk in cents between 95 and 107, the symbols' quotes interleaved. */
  private static List<PathQuote> path(Random random) {
    List<PathQuote> path = new ArrayList<>();
    Map<String, Long> cents = new LinkedHashMap<>();
    SYMBOLS.forEach(s -> cents.put(s, 10_000L));
    for (int i = 0; i < QUOTES_PER_SYMBOL; i++) {
      for (String symbol : SYMBOLS) {
        long bid = Math.max(9_500, Math.min(10_700, cents.get(symbol) + random.nextInt(301) - 150));
        cents.put(symbol, bid);
        path.add(new PathQuote(symbol + "-q" + i, symbol, BigDecimal.valueOf(bid, 2), BigDecimal.valueOf(bid + 2, 2)));
      }
    }
    return path;
  }

  /**
   * Creates the alerts, then sends the path one quote at a time; a quote whose answer the kill cut off is sent again
   * to the next life, with the same id (a duplicate if it had committed).
   */
  private static void quoteThrough(AtomicReference<Life> current, List<Alert> alerts, List<PathQuote> path,
                                   AtomicInteger sent, AtomicInteger resentAfterKill, long deadline) throws Exception {
    List<JsonObject[]> requests = new ArrayList<>();
    alerts.forEach(a -> requests.add(new JsonObject[] {new JsonObject().put("a", Addresses.ALERTS_CREATE), request(a)}));
    path.forEach(q -> requests.add(new JsonObject[] {new JsonObject().put("a", Addresses.QUOTES_SUBMIT), q.request()}));
    BridgeClient client = null;
    Life connected = null;
    int next = 0;
    boolean cutOff = false;
    while (next < requests.size()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("run bound passed at request " + next);
      }
      Life live = current.get();
      if (live == null) {
        Thread.sleep(10);
        continue;
      }
      try {
        if (connected != live) {
          // a connection to a killed life may not have noticed yet: never reuse it
          if (client != null) {
            client.close();
          }
          client = new BridgeClient("127.0.0.1", live.port());
          connected = live;
        }
        JsonObject[] request = requests.get(next);
        JsonObject reply = client.request(request[0].getString("a"), request[1], "alertcrash-" + next);
        if ("err".equals(reply.getString("type"))) {
          System.out.println("AlertCrashTest: request " + next + " answered " + reply.encode() + ", sent again");
          // a refusal to retry (the writer busy or going down) is an unknown outcome too: sent again
          assertEquals(503, reply.getInteger("failureCode"), reply::encode);
          Thread.sleep(20);
          continue;
        }
        if (cutOff) {
          resentAfterKill.incrementAndGet();
          cutOff = false;
        }
        next++;
        sent.incrementAndGet();
        // paced (about a quote a millisecond), so that every kill lands with much of the path still to send
        Thread.sleep(1);
      } catch (IOException lost) {
        if (current.get() == live) {
          throw new AssertionError("request " + next + " lost in life " + live.number() + ", not killed: " + lost,
              lost);
        }
        cutOff = true;
      }
    }
    client.close();
  }

  /** Each alert evaluated on its own, in the path's order: the quote ids that fire it. */
  private static Map<String, List<String>> replay(List<Alert> alerts, List<PathQuote> path) {
    Map<String, List<String>> fired = new TreeMap<>();
    for (Alert alert : alerts) {
      Alert state = alert;
      BigDecimal previous = null;
      for (PathQuote quote : path) {
        if (!quote.symbol().equals(alert.symbol())) {
          continue;
        }
        BigDecimal value = quote.value(alert.kind());
        AlertRules.Effect effect = AlertRules.effect(state, previous, value, 1);
        if (effect == AlertRules.Effect.FIRED) {
          fired.computeIfAbsent(alert.alertId(), k -> new ArrayList<>()).add(quote.quoteId());
        }
        state = AlertRules.apply(state, effect, 1);
        previous = value;
      }
    }
    return fired;
  }

  private static Map<String, List<String>> firings(List<Map<String, Object>> rows) {
    Map<String, List<String>> byAlert = new TreeMap<>();
    rows.forEach(r -> byAlert.computeIfAbsent(String.valueOf(r.get("a")), k -> new ArrayList<>())
        .add(String.valueOf(r.get("c"))));
    return byAlert;
  }
}
