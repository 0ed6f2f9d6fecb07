package io.tradestore.cli;

import io.tradestore.bridge.BridgeClient;
import io.tradestore.config.EngineConfig;
import io.tradestore.domain.Decimals;
import io.tradestore.domain.Side;
import io.tradestore.domain.position.Position;
import io.tradestore.domain.position.PositionLedger;
import io.tradestore.support.Db;
import io.tradestore.support.EngineProcess;
import io.tradestore.support.TestEngineConfig;
import io.tradestore.support.Trading;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promise of a success reply ("the change and its outbox events are committed", docs/api.md) under the crudest
 * fault a process meets: the engine, a separate JVM as an operator runs it, is killed with SIGKILL at random moments
 * while several bridge clients place orders and record fills, and restarted each time on the same database file.
 * Each client counts a fill only when its success reply arrived; a request cut off by the kill has an unknown
 * outcome and is sent again, with the same ids, once the engine is back. After the last restart, in the engine and
 * in the file: every acknowledged fill is stored once, orders and positions agree with their fills, every committed
 * event reached an acknowledging subscriber, and the file is intact.
 *
 * <p>Lives here, beside {@link EngineProcessTest}, because what it runs and kills is the {@code run} command as a
 * process; the domain rules it relies on have their own tests in their packages. {@code -Dcrashloop.seed=N} repeats
 * a run's random choices (kill moments, each desk's orders and fills; the threads' timing still differs).
 */
class CrashLoopTest {
  private static final String HOST = "127.0.0.1";
  private static final int KILLS = 10;
  private static final int DESKS = 4;
  /** Requests each desk keeps outstanding, so that a kill leaves several unknown outcomes and batches form. */
  private static final int WINDOW = 4;
  private static final int LIFE_MIN_MS = 500;
  private static final int LIFE_MAX_MS = 2_500;
  /** Every wait of the run ends by this bound; the JUnit timeout (120 s) is only the last resort. */
  private static final Duration RUN_BOUND = Duration.ofSeconds(100);
  private static final List<String> ACCOUNTS = List.of("desk-a", "desk-b");
  private static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT");
  /**
   * The test's subscriber: configured in {@code outbox.subscribers}, so an event is PUBLISHED only once this client
   * acknowledged it, and inside {@code bridge.outboundPermitted}, so a bridge client may register on it.
   */
  private static final String AUDIT = "trading.events.crashloop-audit";

  @TempDir Path dir;

  /**
   * With the engine's default {@code database.synchronous} (FULL). {@code -Dcrashloop.synchronous=NORMAL} runs the
   * same loop with NORMAL, which must lose no commit on a process crash either (in WAL mode a commit is in the
   * operating system's hands once written; only power loss can take it back): run by hand, not in every build,
   * to keep the suite's time.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void tenSigkillsUnderLoadLoseNoAcknowledgedFillAndDeliverEveryCommittedEvent() throws Exception {
    String synchronous = System.getProperty("crashloop.synchronous");
    if (synchronous == null) {
      assertEquals(EngineConfig.Synchronous.FULL, TestEngineConfig.in(dir).database().synchronous(),
          "the run keeps the engine's default synchronous mode, which must be FULL");
    }
    new CrashLoop(dir, Long.getLong("crashloop.seed", System.nanoTime()),
        synchronous == null ? Map.of() : Map.of("TRADESTORE_DATABASE_SYNCHRONOUS", synchronous)).run();
  }

  /** One run: the engine's lives, the desks and the audit subscriber, then the verification. */
  private static final class CrashLoop {
    private final Path dir;
    private final long seed;
    private final Map<String, String> settings;
    private final Random random;
    private final Path db;
    private final Lives lives = new Lives();
    private final Problems problems = new Problems();
    private final long deadline;

    CrashLoop(Path dir, long seed, Map<String, String> settings) {
      this.dir = dir;
      this.seed = seed;
      this.settings = settings;
      this.random = new Random(seed);
      this.db = dir.resolve("db/trades.db");
      this.deadline = System.nanoTime() + RUN_BOUND.toNanos();
    }

    void run() throws Exception {
      System.out.println("CrashLoopTest: seed " + seed + " (repeat with -Dcrashloop.seed=" + seed + ")");
      long began = System.nanoTime();
      Audit audit = new Audit(lives, problems, deadline);
      List<Desk> desks = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int i = 1; i <= DESKS; i++) {
        desks.add(new Desk("d" + i, new Random(random.nextLong()), lives, problems, deadline));
      }
      threads.add(new Thread(audit, "crashloop-audit"));
      desks.forEach(d -> threads.add(new Thread(d, "crashloop-" + d.name)));
      threads.forEach(t -> {
        t.setDaemon(true);
        t.start();
      });
      EngineProcess engine = null;
      List<Long> lifeMillis = new ArrayList<>();
      try {
        for (int life = 1; life <= KILLS + 1; life++) {
          int bridgePort = TestEngineConfig.freePort();
          engine = EngineProcess.start(dir, env(bridgePort, TestEngineConfig.freePort()), "--db", db.toString());
          engine.awaitOutput("ready in", Duration.ofSeconds(30));
          long up = System.nanoTime();
          lives.up(life, bridgePort);
          if (life == KILLS + 1) {
            break;
          }
          long acknowledgedBefore = acknowledged(desks);
          // the random moment is a time by design: what the engine is doing then is what the kill interrupts
          Thread.sleep(LIFE_MIN_MS + random.nextInt(LIFE_MAX_MS - LIFE_MIN_MS + 1));
          // ...but under load: a life in which no client got an answer would prove nothing
          await(Duration.ofSeconds(10), () -> acknowledged(desks) > acknowledgedBefore,
              () -> "no request acknowledged in life " + lives.generation() + "; problems so far: " + problems);
          lives.killing();
          assertEquals(137, engine.kill(Duration.ofSeconds(10)), "killed by SIGKILL (128 + 9)");
          lifeMillis.add((System.nanoTime() - up) / 1_000_000);
        }

        // after the last restart: each desk sends its unknown outcomes again, then stops
        desks.forEach(Desk::finish);
        for (Thread thread : threads.subList(1, threads.size())) {
          thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
          assertFalse(thread.isAlive(), () -> thread.getName() + " did not finish; " + problems.report("so far"));
        }
        Verification verification = verify(engine, desks, audit);
        problems.assertNone("while the engine was killed and restarted, or after");

        System.out.printf("CrashLoopTest: seed %d, synchronous %s: %d SIGKILLs (lives %d-%d ms), %d desks: %d orders and %d fills "
                + "acknowledged, %d unknown outcomes at kills resent (%d had committed, %d had not, %d were venue resends), "
                + "%d venue resends answered duplicate, %d events delivered to the subscriber (%d again after a kill), "
                + "integrity ok, %.1f s%n",
            seed, settings.getOrDefault("TRADESTORE_DATABASE_SYNCHRONOUS", "FULL (default)"), lifeMillis.size(),
            Collections.min(lifeMillis), Collections.max(lifeMillis), desks.size(),
            desks.stream().mapToInt(d -> d.ordersAcknowledged.size()).sum(),
            desks.stream().mapToInt(d -> d.fillsAcknowledged.size()).sum(),
            desks.stream().mapToInt(d -> d.unknownOutcomes).sum(),
            desks.stream().mapToInt(d -> d.unknownFoundCommitted).sum(),
            desks.stream().mapToInt(d -> d.unknownFoundNotCommitted).sum(),
            desks.stream().mapToInt(d -> d.unknownOutcomes - d.unknownFoundCommitted - d.unknownFoundNotCommitted).sum(),
            desks.stream().mapToInt(d -> d.venueResendsAnsweredDuplicate).sum(),
            verification.events, audit.redeliveries(), (System.nanoTime() - began) / 1e9);
      } finally {
        lives.over();
        audit.stop();
        if (engine != null && engine.process.isAlive()) {
          engine.process.destroyForcibly();
        }
      }
    }

    /**
     * Checks the last life, then the file at rest. Runs even when the clients saw problems, so that a failure shows
     * what reached the file as well as what the clients noticed on the way.
     */
    private Verification verify(EngineProcess engine, List<Desk> desks, Audit audit) throws Exception {
      try {
        Db file = Db.readOnly(db);
        // PUBLISHED needs the audit's acknowledgement: once no row is anything else, every event reached it
        await(Duration.ofSeconds(30), () -> file.count("outbox WHERE status <> 'PUBLISHED'") == 0,
            () -> "events not published (now " + System.currentTimeMillis() + "): " + file.rows("SELECT seq, "
                + "aggregate_type, aggregate_id, event_type, status, attempts, next_attempt_at, last_error FROM outbox "
                + "WHERE status <> 'PUBLISHED' ORDER BY seq LIMIT 20"));
        Verification verification = new Verification(file, desks, audit);
        verification.throughTheEngine(lives.port());

        lives.over();
        audit.stop();
        engine.process.destroy(); // SIGTERM: the last life stops cleanly, so the file is checked at rest
        assertEquals(0, engine.awaitExit(Duration.ofSeconds(30)), engine.output());
        verification.inTheFile();
        return verification;
      } catch (AssertionError e) {
        if (problems.isEmpty()) {
          throw e;
        }
        throw new AssertionError(problems.report("while the engine was killed and restarted")
            + "\n\nand then the verification: " + e.getMessage(), e);
      }
    }

    private Map<String, String> env(int bridgePort, int httpPort) {
      Map<String, String> env = new HashMap<>(settings);
      env.put("TRADESTORE_BRIDGE_PORT", String.valueOf(bridgePort));
      env.put("TRADESTORE_HTTP_PORT", String.valueOf(httpPort));
      env.put("TRADESTORE_OUTBOX_SUBSCRIBERS", AUDIT);
      // the audit can only register once the bridge is up, which is deployed last: each life's first deliveries
      // find no handler and are retried. Quick retries without a practical limit keep that from blocking an event
      // (outbox.maxAttempts) over eleven lives; the retry policy itself is tested in the outbox package.
      env.put("TRADESTORE_OUTBOX_MAX_ATTEMPTS", "1000000");
      env.put("TRADESTORE_OUTBOX_BACKOFF_MAX_MS", "200");
      return env;
    }

    private static long acknowledged(List<Desk> desks) {
      return desks.stream().mapToLong(d -> d.acknowledged.get()).sum();
    }

    private void await(Duration bound, BooleanSupplier condition, Supplier<String> failure) throws InterruptedException {
      long until = Math.min(deadline, System.nanoTime() + bound.toNanos());
      while (!condition.getAsBoolean()) {
        if (System.nanoTime() > until) {
          throw new AssertionError(failure.get());
        }
        Thread.sleep(50); // polling: neither the file nor the desks' counters can notify
      }
    }
  }

  /** What was acknowledged, checked against the engine's answers and the committed file. */
  private static final class Verification {
    private final Db file;
    private final Map<String, PlannedOrder> orders = new HashMap<>();
    private final Map<String, PlannedFill> fills = new HashMap<>();
    private final Audit audit;
    private List<Map<String, Object>> storedFills;
    long events;

    Verification(Db file, List<Desk> desks, Audit audit) {
      this.file = file;
      this.audit = audit;
      desks.forEach(d -> {
        orders.putAll(d.ordersAcknowledged);
        fills.putAll(d.fillsAcknowledged);
      });
    }

    private void readFills() {
      storedFills = file.rows("SELECT id, fill_id, order_id, account, symbol, side, price, quantity, fee, fee_asset "
          + "FROM fills ORDER BY id");
    }

    /** The engine's own view after the last restart: orders and positions read through the bridge. */
    void throughTheEngine(int bridgePort) throws IOException {
      readFills();
      Mismatches m = new Mismatches();
      Map<String, BigDecimal> filledByOrder = sumByOrder();
      Map<String, Position> positions = recomputedPositions();
      try (BridgeClient reader = new BridgeClient(HOST, bridgePort)) {
        int replies = 0;
        Set<String> listed = new HashSet<>();
        for (String account : ACCOUNTS) {
          String cursor = null;
          do {
            JsonObject request = new JsonObject().put("account", account).put("limit", 1000).put("cursor", cursor);
            JsonObject page = ok(reader, "trading.orders.list", request, "verify-" + ++replies);
            for (Object o : page.getJsonArray("orders")) {
              JsonObject order = (JsonObject) o;
              String id = order.getString("orderId");
              listed.add(id);
              BigDecimal expected = filledByOrder.getOrDefault(id, BigDecimal.ZERO);
              m.check(same(expected, new BigDecimal(order.getString("filledQuantity"))),
                  () -> "engine: order " + id + " filledQuantity " + order.getString("filledQuantity") + ", its fills sum to " + expected);
            }
            cursor = page.getString("nextCursor");
          } while (cursor != null);

          JsonObject held = ok(reader, "trading.positions.list", new JsonObject().put("account", account), "verify-" + ++replies);
          Map<String, JsonObject> bySymbol = new HashMap<>();
          held.getJsonArray("positions").forEach(p -> bySymbol.put(((JsonObject) p).getString("symbol"), (JsonObject) p));
          for (String symbol : SYMBOLS) {
            Position expected = positions.get(account + "/" + symbol);
            JsonObject actual = bySymbol.get(symbol);
            String key = account + "/" + symbol;
            if (expected == null) {
              m.check(actual == null || new BigDecimal(actual.getString("quantity")).signum() == 0,
                  () -> "engine: position " + key + " without fills: " + actual);
              continue;
            }
            m.check(actual != null, () -> "engine: no position " + key);
            if (actual != null) {
              comparePosition(m, "engine: position " + key, expected, dec(actual.getString("quantity")),
                  dec(actual.getString("averagePrice")), null, dec(actual.getString("realizedPnl")),
                  fees(actual.getJsonObject("fees")), actual.getLong("fillCount"), actual.getString("lastFillId"),
                  lastFillOf(key));
            }
          }
        }
        m.check(listed.equals(orders.keySet()), () -> "engine: orders listed " + listed.size()
            + ", acknowledged " + orders.size() + "; differ by " + symmetricDifference(listed, orders.keySet()));
      }
      m.assertNone();
    }

    /** The file at rest after a clean stop of the last life, read on a read-only connection. */
    void inTheFile() {
      readFills();
      Mismatches m = new Mismatches();
      assertEquals(List.of(Map.of("integrity_check", "ok")), file.rows("PRAGMA integrity_check"));
      assertEquals(List.of(), file.rows("PRAGMA foreign_key_check"));

      // every acknowledged fill is stored, exactly once, as it was sent
      Map<String, Integer> copies = new HashMap<>();
      Map<String, Map<String, Object>> stored = new HashMap<>();
      for (Map<String, Object> row : storedFills) {
        String id = (String) row.get("fill_id");
        copies.merge(id, 1, Integer::sum);
        stored.put(id, row);
      }
      copies.forEach((id, n) -> m.check(n == 1, () -> "fill " + id + " stored " + n + " times"));
      for (PlannedFill f : fills.values()) {
        Map<String, Object> row = stored.get(f.fillId());
        m.check(row != null, () -> "acknowledged fill " + f.fillId() + " (order " + f.orderId() + ") is not stored");
        if (row != null) {
          m.check(f.orderId().equals(row.get("order_id")) && same(f.quantity(), dec(row.get("quantity")))
                  && same(f.price(), dec(row.get("price"))) && same(f.fee(), dec(row.get("fee")))
                  && Objects.equals(f.feeAsset(), row.get("fee_asset")),
              () -> "fill " + f.fillId() + " stored as " + row + ", sent as " + f);
        }
      }
      // each desk sent every unknown outcome again until it was answered, so nothing stored is unacknowledged
      m.check(stored.keySet().equals(fills.keySet()), () -> "stored fills " + stored.size() + ", acknowledged "
          + fills.size() + "; differ by " + symmetricDifference(stored.keySet(), fills.keySet()));

      // each order's progress is the exact sum of its fills
      Map<String, BigDecimal> filledByOrder = sumByOrder();
      Map<String, BigDecimal> notionalByOrder = new HashMap<>();
      storedFills.forEach(r -> notionalByOrder.merge((String) r.get("order_id"),
          dec(r.get("quantity")).multiply(dec(r.get("price"))), BigDecimal::add));
      List<Map<String, Object>> orderRows = file.rows(
          "SELECT order_id, quantity, filled_quantity, filled_notional, average_price, status FROM orders");
      Set<String> storedOrders = new HashSet<>();
      for (Map<String, Object> row : orderRows) {
        String id = (String) row.get("order_id");
        storedOrders.add(id);
        BigDecimal quantity = dec(row.get("quantity"));
        BigDecimal filled = filledByOrder.getOrDefault(id, BigDecimal.ZERO);
        BigDecimal notional = notionalByOrder.getOrDefault(id, BigDecimal.ZERO);
        String status = filled.signum() == 0 ? "NEW" : same(filled, quantity) ? "FILLED" : "PARTIALLY_FILLED";
        m.check(same(filled, dec(row.get("filled_quantity"))) && same(notional, dec(row.get("filled_notional"))),
            () -> "order " + id + " stored filled " + row.get("filled_quantity") + " / notional " + row.get("filled_notional")
                + ", its fills sum to " + filled + " / " + notional);
        m.check(Objects.equals(filled.signum() == 0 ? null : Decimals.format(Decimals.divide(notional, filled)),
            row.get("average_price")), () -> "order " + id + " average " + row.get("average_price"));
        m.check(status.equals(row.get("status")), () -> "order " + id + " is " + row.get("status") + ", expected " + status);
        PlannedOrder sent = orders.get(id);
        m.check(sent != null && same(sent.quantity(), quantity), () -> "order " + id + " stored " + row + ", sent " + sent);
      }
      m.check(storedOrders.equals(orders.keySet()), () -> "stored orders " + storedOrders.size() + ", acknowledged "
          + orders.size() + "; differ by " + symmetricDifference(storedOrders, orders.keySet()));

      // each position is its fills replayed through the ledger, in the order they were recorded
      Map<String, Position> positions = recomputedPositions();
      List<Map<String, Object>> positionRows = file.rows("SELECT * FROM positions");
      m.check(positionRows.size() == positions.size(), () -> "positions stored " + positionRows.size() + ", with fills " + positions.size());
      for (Map<String, Object> row : positionRows) {
        String key = row.get("account") + "/" + row.get("symbol");
        Position expected = positions.get(key);
        m.check(expected != null, () -> "position " + key + " without fills: " + row);
        if (expected != null) {
          comparePosition(m, "position " + key, expected, dec(row.get("quantity")), dec(row.get("average_price")),
              dec(row.get("cost_basis")), dec(row.get("realized_pnl")), fees(new JsonObject((String) row.get("fees"))),
              ((Number) row.get("fill_count")).longValue(), (String) row.get("last_fill_id"), lastFillOf(key));
        }
      }

      // every committed event was delivered, none that was not committed, and a fill's resends wrote none
      List<Map<String, Object>> outbox = file.rows("SELECT seq, event_id, event_type, status, "
          + "json_extract(payload, '$.fillId') AS fill_id FROM outbox ORDER BY seq");
      events = outbox.size();
      Set<String> committed = new HashSet<>();
      Map<String, Integer> fillEvents = new HashMap<>();
      for (Map<String, Object> row : outbox) {
        String eventId = (String) row.get("event_id");
        committed.add(eventId);
        m.check("PUBLISHED".equals(row.get("status")), () -> "event " + row + " is not published");
        m.check(audit.deliveries.containsKey(eventId), () -> "event " + row + " never reached the subscriber");
        if ("fill.recorded".equals(row.get("event_type"))) {
          fillEvents.merge((String) row.get("fill_id"), 1, Integer::sum);
        }
      }
      for (String fillId : fills.keySet()) {
        m.check(fillEvents.getOrDefault(fillId, 0) == 1, () -> "acknowledged fill " + fillId + " has "
            + fillEvents.getOrDefault(fillId, 0) + " fill.recorded events");
      }
      // one transaction per new order (order.placed) and per new fill (fill.recorded, order.updated, position.changed)
      m.check(outbox.size() == orderRows.size() + 3L * storedFills.size(), () -> outbox.size() + " events for "
          + orderRows.size() + " orders and " + storedFills.size() + " fills");
      Set<String> phantoms = new TreeSet<>(audit.deliveries.keySet());
      phantoms.removeAll(committed);
      m.check(phantoms.isEmpty(), () -> "delivered but never committed: " + phantoms);
      m.assertNone();
    }

    private Map<String, BigDecimal> sumByOrder() {
      Map<String, BigDecimal> sums = new HashMap<>();
      storedFills.forEach(r -> sums.merge((String) r.get("order_id"), dec(r.get("quantity")), BigDecimal::add));
      return sums;
    }

    /** The ledger's own rules applied to the stored fills in recording order (their id), per account and symbol. */
    private Map<String, Position> recomputedPositions() {
      Map<String, Position> positions = new TreeMap<>();
      for (Map<String, Object> r : storedFills) {
        String account = (String) r.get("account");
        String symbol = (String) r.get("symbol");
        positions.compute(account + "/" + symbol, (key, before) -> PositionLedger.apply(
            before != null ? before : Position.flat(account, symbol), Side.valueOf((String) r.get("side")),
            dec(r.get("quantity")), dec(r.get("price")), dec(r.get("fee")), (String) r.get("fee_asset")));
      }
      return positions;
    }

    private String lastFillOf(String key) {
      String last = null;
      for (Map<String, Object> r : storedFills) {
        if (key.equals(r.get("account") + "/" + r.get("symbol"))) {
          last = (String) r.get("fill_id");
        }
      }
      return last;
    }

    private static void comparePosition(Mismatches m, String what, Position expected, BigDecimal quantity,
                                        BigDecimal average, BigDecimal costBasis, BigDecimal realized,
                                        Map<String, BigDecimal> fees, long fillCount, String lastFillId, String expectedLast) {
      m.check(same(expected.quantity(), quantity), () -> what + " quantity " + quantity + ", recomputed " + expected.quantity());
      m.check(same(expected.averagePrice(), average), () -> what + " average " + average + ", recomputed " + expected.averagePrice());
      m.check(costBasis == null || same(expected.costBasis(), costBasis),
          () -> what + " cost basis " + costBasis + ", recomputed " + expected.costBasis());
      m.check(same(expected.realizedPnl(), realized), () -> what + " realized " + realized + ", recomputed " + expected.realizedPnl());
      m.check(sameAmounts(expected.fees(), fees), () -> what + " fees " + fees + ", recomputed " + expected.fees());
      m.check(expected.fillCount() == fillCount, () -> what + " fill count " + fillCount + ", fills " + expected.fillCount());
      m.check(Objects.equals(expectedLast, lastFillId), () -> what + " last fill " + lastFillId + ", recorded last " + expectedLast);
    }

    private static JsonObject ok(BridgeClient client, String address, JsonObject body, String replyAddress) throws IOException {
      JsonObject frame = client.request(address, body, replyAddress);
      assertEquals("message", frame.getString("type"), frame.encode());
      return frame.getJsonObject("body");
    }

    private static Map<String, BigDecimal> fees(JsonObject json) {
      Map<String, BigDecimal> fees = new TreeMap<>();
      json.forEach(e -> fees.put(e.getKey(), new BigDecimal((String) e.getValue())));
      return fees;
    }

    private static boolean sameAmounts(Map<String, BigDecimal> a, Map<String, BigDecimal> b) {
      return a.keySet().equals(b.keySet()) && a.keySet().stream().allMatch(k -> same(a.get(k), b.get(k)));
    }

    private static Set<String> symmetricDifference(Set<String> a, Set<String> b) {
      Set<String> out = new TreeSet<>(a);
      out.addAll(b);
      Set<String> both = new HashSet<>(a);
      both.retainAll(b);
      out.removeAll(both);
      return out.size() > 20 ? Set.copyOf(new ArrayList<>(out).subList(0, 20)) : out;
    }
  }

  /** Exact: equal amounts, whatever their scale; both absent counts as equal. */
  private static boolean same(BigDecimal a, BigDecimal b) {
    return a == null || b == null ? a == b : a.compareTo(b) == 0;
  }

  private static BigDecimal dec(Object text) {
    return text == null ? null : new BigDecimal(text.toString());
  }

  /** The engine's lives as the clients see them: which one is up, on which port, and whether it is being killed. */
  private static final class Lives {
    private int generation;
    private int port;
    private boolean up;
    private boolean over;

    synchronized void up(int generation, int port) {
      this.generation = generation;
      this.port = port;
      this.up = true;
      notifyAll();
    }

    /** Called before the kill, so that a connection lost from now on is the kill's doing, not the engine's fault. */
    synchronized void killing() {
      up = false;
    }

    synchronized void over() {
      over = true;
      up = false;
      notifyAll();
    }

    synchronized int generation() {
      return generation;
    }

    synchronized int port() {
      return port;
    }

    /** True while life {@code generation} is up and not being killed. */
    synchronized boolean isUp(int generation) {
      return up && this.generation == generation;
    }

    /** The first life after {@code seen} once it is up; null when the run is over or its bound passed. */
    synchronized Life next(int seen, long deadline) throws InterruptedException {
      while (!over && !(up && generation > seen)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return over ? null : new Life(generation, port);
    }
  }

  private record Life(int generation, int port) { }

  /** Problems seen by the clients' threads, reported by the test's thread. */
  private static final class Problems {
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    void add(String problem) {
      seen.add(problem);
    }

    boolean isEmpty() {
      return seen.isEmpty();
    }

    String report(String when) {
      synchronized (seen) {
        return seen.size() + " problem(s) " + when + ":\n" + String.join("\n", seen.subList(0, Math.min(20, seen.size())));
      }
    }

    void assertNone(String when) {
      assertTrue(isEmpty(), () -> report(when));
    }

    @Override
    public String toString() {
      synchronized (seen) {
        return seen.toString();
      }
    }
  }

  /** Collects every mismatch of a verification, so that a failure shows its extent, not only the first. */
  private static final class Mismatches {
    private final List<String> found = new ArrayList<>();

    void check(boolean ok, Supplier<String> mismatch) {
      if (!ok) {
        found.add(mismatch.get());
      }
    }

    void assertNone() {
      assertTrue(found.isEmpty(), found.size() + " mismatch(es):\n" + String.join("\n", found.subList(0, Math.min(20, found.size()))));
    }
  }

  private record PlannedOrder(String orderId, String account, String symbol, String side, BigDecimal quantity,
                              BigDecimal price, List<PlannedFill> fills) {
    JsonObject body() {
      return price == null ? Trading.market(orderId, account, symbol, side, quantity.toPlainString())
          : Trading.limit(orderId, account, symbol, side, quantity.toPlainString(), price.toPlainString());
    }
  }

  private record PlannedFill(String fillId, String orderId, BigDecimal quantity, BigDecimal price, BigDecimal fee,
                             String feeAsset, String liquidity, long executedAt) {
    /** As a venue reports it; a resend carries exactly the same fields, executedAt included. */
    JsonObject body() {
      JsonObject body = Trading.fill(fillId, orderId, quantity.toPlainString(), price.toPlainString())
          .put("liquidity", liquidity).put("tradeId", "T-" + fillId).put("executedAt", executedAt);
      return fee == null ? body : body.put("fee", fee.toPlainString()).put("feeAsset", feeAsset);
    }
  }

  /** One request of a desk; {@code unknown} once a connection was lost before its answer. */
  private static final class Op {
    final PlannedOrder place;
    final PlannedFill fill;
    /** A venue resending a fill already acknowledged: must be answered as a duplicate. */
    final boolean venueResend;
    boolean unknown;

    private Op(PlannedOrder place, PlannedFill fill, boolean venueResend) {
      this.place = place;
      this.fill = fill;
      this.venueResend = venueResend;
    }

    String address() {
      return place != null ? "trading.orders.place" : "trading.fills.record";
    }

    JsonObject body() {
      return place != null ? place.body() : fill.body();
    }

    @Override
    public String toString() {
      return place != null ? "order " + place.orderId() : (venueResend ? "resend of fill " : "fill ") + fill.fillId();
    }
  }

  /**
   * A trading client on its own bridge connection: places orders, records their fills, now and then resends a
   * fill already acknowledged (venues do). Up to {@link #WINDOW} requests are outstanding; a fill is sent only once
   * its order's placement was answered.
   */
  private static final class Desk implements Runnable {
    final String name;
    private final Random random;
    private final Lives lives;
    private final Problems problems;
    private final long deadline;
    private volatile boolean finishing;
    final AtomicLong acknowledged = new AtomicLong();

    // the desk's thread only, until it ends (join publishes them to the test's thread)
    private final Deque<Op> resends = new ArrayDeque<>();
    private final List<Op> ready = new ArrayList<>();
    private final Map<String, Op> outstanding = new LinkedHashMap<>();
    private final List<PlannedFill> resendable = new ArrayList<>();
    final Map<String, PlannedOrder> ordersAcknowledged = new LinkedHashMap<>();
    final Map<String, PlannedFill> fillsAcknowledged = new LinkedHashMap<>();
    int unknownOutcomes;
    int unknownFoundCommitted;
    int unknownFoundNotCommitted;
    int venueResendsAnsweredDuplicate;
    private long replies;
    private long executedAt = 1_790_000_000_000L;

    Desk(String name, Random random, Lives lives, Problems problems, long deadline) {
      this.name = name;
      this.random = random;
      this.lives = lives;
      this.problems = problems;
      this.deadline = deadline;
    }

    /** No new requests from now on: answer the unknown outcomes, then end. */
    void finish() {
      finishing = true;
    }

    @Override
    public void run() {
      BridgeClient client = null;
      int generation = 0;
      int seen = 0;
      try {
        while (true) {
          if (client == null) {
            Life life = lives.next(seen, deadline);
            if (life == null) {
              if (System.nanoTime() > deadline) {
                problems.add(name + ": no engine to talk to within the run's bound");
              }
              return;
            }
            generation = life.generation();
            try {
              client = new BridgeClient(HOST, life.port());
            } catch (IOException e) {
              if (lives.isUp(generation)) {
                problems.add(name + ": connection refused while life " + generation + " was up: " + e);
              }
              seen = generation;
              continue;
            }
          }
          try {
            send(client);
            if (outstanding.isEmpty()) {
              return; // finishing, and every outcome is known
            }
            receive(client.receive());
          } catch (IOException e) {
            close(client);
            client = null;
            boolean engineUp = lives.isUp(generation);
            if (engineUp) {
              problems.add(name + ": connection lost while life " + generation + " was up: " + e);
            }
            seen = engineUp ? generation - 1 : generation;
            for (Op op : outstanding.values()) {
              if (!op.unknown) {
                unknownOutcomes++;
              }
              op.unknown = true; // it may or may not have committed: only its resend's answer will tell
              resends.add(op);
            }
            outstanding.clear();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        problems.add(name + " failed: " + e);
      } finally {
        close(client);
      }
    }

    private void send(BridgeClient client) throws IOException {
      while (outstanding.size() < WINDOW) {
        Op op = next();
        if (op == null) {
          return;
        }
        String replyAddress = name + "-r" + ++replies;
        outstanding.put(replyAddress, op); // first: a send that fails midway may still have reached the engine
        client.send(new JsonObject().put("type", "send").put("address", op.address()).put("replyAddress", replyAddress)
            .put("body", op.body()));
      }
    }

    private Op next() {
      if (!resends.isEmpty()) {
        return resends.poll();
      }
      if (finishing) {
        return null;
      }
      if (!resendable.isEmpty() && random.nextInt(12) == 0) {
        return new Op(null, resendable.get(random.nextInt(resendable.size())), true);
      }
      if (!ready.isEmpty() && random.nextInt(6) != 0) {
        return ready.remove(random.nextInt(ready.size()));
      }
      return new Op(plan(), null, false);
    }

    private void receive(JsonObject frame) {
      Op op = outstanding.remove(frame.getString("address", ""));
      if (op == null) {
        problems.add(name + ": a frame that answers none of its requests: " + frame.encode());
        return;
      }
      if (!"message".equals(frame.getString("type"))) {
        Integer code = frame.getInteger("failureCode");
        if (code != null && code == 503) {
          resends.addFirst(op); // "retry later" (docs/api.md)
        } else if (code != null && code == 404 && op.fill != null) {
          // fills are sent only once their order's placement was answered
          problems.add(name + ": " + op + " refused with 404: order " + op.fill.orderId()
              + " was acknowledged, yet the engine no longer knows it: its commit was lost");
        } else {
          problems.add(name + ": " + op + " refused: " + frame.encode());
        }
        return;
      }
      JsonObject body = frame.getJsonObject("body");
      boolean duplicate = body.getBoolean("duplicate", false);
      if (op.venueResend) {
        if (duplicate) {
          venueResendsAnsweredDuplicate++;
        } else {
          problems.add(name + ": acknowledged fill " + op.fill.fillId() + " was recorded anew when resent: its first commit was lost");
        }
      } else if (op.unknown) {
        if (duplicate) {
          unknownFoundCommitted++;
        } else {
          unknownFoundNotCommitted++;
        }
      } else if (duplicate) {
        problems.add(name + ": the first send of " + op + " was answered as a duplicate");
      }
      acknowledged.incrementAndGet();
      if (op.place != null) {
        if (ordersAcknowledged.putIfAbsent(op.place.orderId(), op.place) == null) {
          op.place.fills().forEach(f -> ready.add(new Op(null, f, false)));
        }
        return;
      }
      JsonObject fill = body.getJsonObject("fill");
      if (!op.fill.fillId().equals(fill.getString("fillId")) || !same(op.fill.quantity(), dec(fill.getString("quantity")))
          || !same(op.fill.price(), dec(fill.getString("price")))) {
        problems.add(name + ": " + op + " answered with " + fill.encode());
      }
      if (fillsAcknowledged.putIfAbsent(op.fill.fillId(), op.fill) == null) {
        resendable.add(op.fill);
      }
    }

    /** An order and the fills a venue will report for it: all of its quantity, or (one in five) less. */
    private PlannedOrder plan() {
      String account = ACCOUNTS.get(random.nextInt(ACCOUNTS.size()));
      String symbol = SYMBOLS.get(random.nextInt(SYMBOLS.size()));
      String side = random.nextBoolean() ? "BUY" : "SELL";
      int units = 100 + random.nextInt(4_901); // thousandths: 0.1 to 5
      BigDecimal quantity = BigDecimal.valueOf(units, 3); // sent with its trailing zeros ("1.500")
      BigDecimal limit = random.nextInt(4) == 0 ? null : price(symbol);
      String orderId = Trading.id(name + "-o");
      TreeSet<Integer> cuts = new TreeSet<>();
      int parts = 1 + random.nextInt(4);
      while (cuts.size() < parts - 1) {
        cuts.add(1 + random.nextInt(units - 1));
      }
      cuts.add(units);
      if (random.nextInt(5) == 0 && cuts.size() > 1) {
        cuts.pollLast();
      }
      List<PlannedFill> fills = new ArrayList<>();
      int from = 0;
      for (int cut : cuts) {
        BigDecimal fee = null;
        String feeAsset = null;
        switch (random.nextInt(3)) {
          case 1 -> {
            fee = BigDecimal.valueOf(1 + random.nextInt(500), 4);
            feeAsset = "USDT";
          }
          case 2 -> {
            fee = BigDecimal.valueOf(-1 - random.nextInt(50), 4); // a maker rebate
            feeAsset = random.nextBoolean() ? "USDT" : "BNB";
          }
          default -> { }
        }
        fills.add(new PlannedFill(Trading.id(name + "-f"), orderId, BigDecimal.valueOf(cut - from, 3), price(symbol),
            fee, feeAsset, random.nextBoolean() ? "MAKER" : "TAKER", executedAt += 7));
        from = cut;
      }
      return new PlannedOrder(orderId, account, symbol, side, quantity, limit, fills);
    }

    /** Two decimals, trailing zeros kept ("101.10"): the engine compares amounts, not their text. */
    private BigDecimal price(String symbol) {
      int base = symbol.startsWith("BTC") ? 100 : 10;
      return BigDecimal.valueOf(base * 100L + random.nextInt(base * 10), 2);
    }

    private static void close(BridgeClient client) {
      if (client != null) {
        try {
          client.close();
        } catch (IOException ignored) {
          // already lost
        }
      }
    }
  }

  /**
   * The acknowledging subscriber: registered on {@link #AUDIT} through its own bridge connection, it answers every
   * delivery and records each event id, counting deliveries (at least once: a kill between the answer and its
   * mark delivers the event again) and checking that each aggregate's events first arrive in seq order.
   */
  private static final class Audit implements Runnable {
    final Map<String, Integer> deliveries = new ConcurrentHashMap<>();
    private final Map<String, Long> lastSeqOfAggregate = new HashMap<>();
    private final Lives lives;
    private final Problems problems;
    private final long deadline;
    private volatile boolean stopped;
    private volatile BridgeClient client;

    Audit(Lives lives, Problems problems, long deadline) {
      this.lives = lives;
      this.problems = problems;
      this.deadline = deadline;
    }

    long redeliveries() {
      return deliveries.values().stream().mapToLong(n -> n - 1).sum();
    }

    void stop() {
      stopped = true;
      BridgeClient c = client;
      if (c != null) {
        try {
          c.close(); // ends its blocking read
        } catch (IOException ignored) {
          // already lost
        }
      }
    }

    @Override
    public void run() {
      int seen = 0;
      try {
        while (!stopped) {
          Life life = lives.next(seen, deadline);
          if (life == null) {
            return;
          }
          seen = life.generation();
          try (BridgeClient c = new BridgeClient(HOST, life.port())) {
            client = c;
            if (stopped) {
              return;
            }
            c.readTimeout(Duration.ZERO); // idle between lives and at the end: only a lost connection ends a read
            c.send(new JsonObject().put("type", "register").put("address", AUDIT));
            while (true) {
              handle(c, c.receive());
            }
          } catch (IOException e) {
            if (!stopped && lives.isUp(seen)) {
              problems.add("audit: connection lost while life " + seen + " was up: " + e);
              seen--;
            }
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        problems.add("audit failed: " + e);
      }
    }

    private void handle(BridgeClient c, JsonObject frame) throws IOException {
      if (!"message".equals(frame.getString("type"))) {
        problems.add("audit: " + frame.encode());
        return;
      }
      JsonObject event = frame.getJsonObject("body");
      String eventId = event.getString("eventId");
      long seq = event.getLong("seq");
      if (deliveries.merge(eventId, 1, Integer::sum) == 1) {
        String aggregate = event.getString("aggregateType") + "/" + event.getString("aggregateId");
        Long last = lastSeqOfAggregate.get(aggregate);
        if (last != null && last > seq) {
          problems.add("audit: " + aggregate + " event seq " + seq + " first arrived after seq " + last);
        }
        lastSeqOfAggregate.merge(aggregate, seq, Math::max);
      }
      c.send(new JsonObject().put("type", "send").put("address", frame.getString("replyAddress")).put("body", new JsonObject()));
    }
  }
}
