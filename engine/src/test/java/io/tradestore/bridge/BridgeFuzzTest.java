package io.tradestore.bridge;

import io.micrometer.core.instrument.Counter;
import io.tradestore.Addresses;
import io.tradestore.ErrorCode;
import io.tradestore.bridge.FuzzMessages.Answer;
import io.tradestore.bridge.FuzzMessages.Case;
import io.tradestore.bridge.FuzzMessages.Fixture;
import io.tradestore.bridge.FuzzMessages.Table;
import io.tradestore.bridge.FuzzMessages.World;
import io.tradestore.support.ErrorLines;
import io.tradestore.support.RunningEngine;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of random and malformed frames through the TCP bridge of a real engine, to every address docs/api.md
 * lists as reachable through it (issue 21): each is answered within {@link #ANSWER_BOUND_MS}, with a success
 * only where the request is valid, with 400/404/409 or the bridge's own {@code err} frame otherwise, never with a
 * 500, a 503 or silence; the engine keeps answering; the refused frames write nothing (every table's rows are the
 * same, byte for byte, before and after a phase of refused frames only), the valid ones write exactly their rows;
 * and the log holds no ERROR line or stack trace.
 *
 * <p>The frames are drawn from a seed, printed at the start: {@code -Dtradestore.fuzz.seed=<seed>} replays a run
 * (each connection draws from its own generator, so the frames are the same; only their interleaving differs),
 * {@code -Dtradestore.fuzz.messages=<n>} changes how many are sent over both phases.
 */
class BridgeFuzzTest {
  private static final long SEED = Long.getLong("tradestore.fuzz.seed", new Random().nextLong());
  private static final int MESSAGES = Integer.getInteger("tradestore.fuzz.messages", 15_000);
  /** Connections sending at once: enough to put refused and valid commands into one group commit. */
  private static final int CONNECTIONS = 4;
  private static final long ANSWER_BOUND_MS = 5_000;
  private static final byte[] PING = FuzzMessages.framed("{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
  /** Every table of migrations/*.sql, each with the order that makes its rows comparable. */
  private static final Map<String, String> TABLES = tables();
  private static final Set<ErrorCode> NEVER = Set.of(ErrorCode.INTERNAL, ErrorCode.OVERLOADED, ErrorCode.DATABASE_BUSY,
      ErrorCode.UNAVAILABLE);

  @TempDir static Path dir;
  static RunningEngine running;
  static ErrorLines log;
  /** Exceptions no handler caught, on any of the engine's contexts. */
  static final ConcurrentLinkedQueue<Throwable> unhandled = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void start() {
    System.out.println("BridgeFuzzTest seed " + SEED + " (replay with -Dtradestore.fuzz.seed=" + SEED + ")");
    running = RunningEngine.start(dir);
    running.engine.vertx().exceptionHandler(unhandled::add);
    log = ErrorLines.watch();
  }

  @AfterAll
  static void stop() {
    log.close();
    running.close();
  }

  private static Map<String, String> tables() {
    Map<String, String> tables = new LinkedHashMap<>();
    tables.put("quotes", "SELECT * FROM quotes ORDER BY quote_id");
    tables.put("orders", "SELECT * FROM orders ORDER BY id");
    tables.put("fills", "SELECT * FROM fills ORDER BY id");
    tables.put("positions", "SELECT * FROM positions ORDER BY account, symbol");
    tables.put("balances", "SELECT * FROM balances ORDER BY account, asset");
    tables.put("balance_updates", "SELECT * FROM balance_updates ORDER BY id");
    // what an event is, not how far its delivery got: the dispatcher marks events published meanwhile
    tables.put("outbox", "SELECT seq, event_id, aggregate_type, aggregate_id, event_type, payload, created_at FROM outbox ORDER BY seq");
    return tables;
  }

  @Test
  void thousandsOfMalformedMessagesToEveryAddressAreAnsweredWith4xxWithinABoundAndWriteNothing() throws Exception {
    World world = new World("fz-acct", "FZ-S", "FZ-T");
    // rows to contradict: a used quote, a filled and a rejected order, a stored balance (404s and 409s, not only 400s)
    Fixture fixture = fixture(world);
    Run run = new Run();
    awaitNoRequestInFlight();
    Map<String, String> before = snapshot();

    run.phase("refused", MESSAGES * 2 / 3, t -> new FuzzMessages(new Random(SEED + t), "fzr" + t,
        new World(world.account, world.symbol, world.otherSymbol), fixture, running.config.bridge().limits().maxFrameBytes())::refused);

    run.assertAnswered();
    awaitNoRequestInFlight();
    Map<String, String> after = snapshot();
    run.assertClean();
    assertEquals(before, after, "every table holds the same rows after " + run.sent + " refused frames (seed " + SEED + ")");
    for (String address : FuzzMessages.SERVED) {
      assertTrue(run.handled.getOrDefault(address, 0L) > 0, address + " was reached and answered by its handler: " + run.handled);
    }
  }

  @Test
  void validRequestsAmongMalformedOnesAreAnsweredAndOnlyTheSuccessesWrite() throws Exception {
    Run run = new Run();
    awaitNoRequestInFlight();
    Map<String, Long> before = rowCounts();

    run.phase("mixed", MESSAGES - MESSAGES * 2 / 3, t -> new FuzzMessages(new Random(SEED ^ (0x9E3779B97F4A7C15L * (t + 1))),
        "fzm" + t, new World("fz-m" + t, "FZM" + t, "FZN" + t), null, running.config.bridge().limits().maxFrameBytes())::mixed);

    run.assertAnswered();
    awaitNoRequestInFlight();
    Map<String, Long> after = rowCounts();
    run.assertClean();
    assertTrue(run.writes.values().stream().mapToLong(Long::longValue).sum() > 0, "some valid requests were among them: " + run.answers);
    for (Table table : Table.values()) {
      String name = table.name().toLowerCase(java.util.Locale.ROOT);
      assertEquals(run.writes.getOrDefault(table, 0L), after.get(name) - before.get(name),
          name + ": rows added, against successes that were not duplicates (seed " + SEED + ")");
    }
    assertEquals(run.events, after.get("outbox") - before.get("outbox"), "events written, against successful commands (seed " + SEED + ")");
    assertEquals("ok", running.queryString("PRAGMA integrity_check"));
  }

  // ---- one phase: connections sending generated frames, each waiting for its answer ----

  /** What the frames of a test got, over all its connections. */
  private static final class Run {
    final Map<Answer, Long> answers = new EnumMap<>(Answer.class);
    final Map<Table, Long> writes = new EnumMap<>(Table.class);
    /** Frames answered by the handler at their address (a success or a refusal), by address. */
    final Map<String, Long> handled = new java.util.TreeMap<>();
    final List<String> problems = new ArrayList<>();
    long sent;
    long events;
    long problemCount;
    long slowestNanos;
    int logMark;
    Map<String, Double> failuresBefore;

    Run() {
      for (Answer a : Answer.values()) {
        answers.put(a, 0L);
      }
    }

    synchronized void add(Sender c) {
      c.answers.forEach((a, n) -> answers.merge(a, n, Long::sum));
      c.writes.forEach((t, n) -> writes.merge(t, n, Long::sum));
      c.handled.forEach((a, n) -> handled.merge(a, n, Long::sum));
      sent += c.sent;
      events += c.events;
      problemCount += c.problemCount;
      slowestNanos = Math.max(slowestNanos, c.slowestNanos);
      for (String p : c.problems) {
        if (problems.size() < 40) {
          problems.add(p);
        }
      }
    }

    void phase(String name, int messages, java.util.function.IntFunction<Supplier<Case>> generators) throws Exception {
      logMark = log.mark();
      failuresBefore = failures();
      long started = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
      try {
        List<Future<Sender>> done = new ArrayList<>();
        for (int t = 0; t < CONNECTIONS; t++) {
          int share = messages / CONNECTIONS + (t < messages % CONNECTIONS ? 1 : 0);
          Supplier<Case> generator = generators.apply(t);
          String label = name + "/" + t;
          done.add(pool.submit(() -> new Sender(label).send(generator, share)));
        }
        for (Future<Sender> connection : done) {
          add(connection.get(120, TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdownNow();
      }
      System.out.printf("BridgeFuzzTest %s: %d frames in %d ms over %d connections, slowest answer %d ms; answers %s; rows %s%n",
          name, sent, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), CONNECTIONS,
          TimeUnit.NANOSECONDS.toMillis(slowestNanos), answers, writes);
    }

    /** Every frame had its answer in time, and the answer was one it may have. */
    void assertAnswered() {
      assertTrue(problems.isEmpty(), problemCount + " of " + sent + " frames answered wrongly (seed " + SEED + "), the first:\n"
          + String.join("\n", problems));
    }

    /** No 500 or 503 counted, no error logged, no exception unhandled; the engine answers. */
    void assertClean() throws IOException {
      Map<String, Double> failures = failures();
      failures.replaceAll((key, count) -> count - failuresBefore.getOrDefault(key, 0.0));
      failures.values().removeIf(count -> count == 0);
      assertEquals(Map.of(), failures, "commands answered 500 or 503 (tradestore_commands_total)");
      assertEquals(List.of(), log.since(logMark), "ERROR lines or stack traces in the engine's log");
      assertEquals(List.of(), List.copyOf(unhandled), "exceptions no handler caught");
      try (BridgeClient client = connect()) {
        JsonObject info = client.request(Addresses.ENGINE_INFO, new JsonObject(), "still-up");
        assertEquals("message", info.getString("type"), info.encode());
        assertEquals("tradestore", info.getJsonObject("body").getString("engine"));
      }
    }
  }

  /** tradestore_commands_total of every outcome the fuzz must never cause, by address and outcome. */
  private static Map<String, Double> failures() {
    Map<String, Double> counts = new LinkedHashMap<>();
    for (Counter counter : running.engine.registry().find("tradestore.commands").counters()) {
      String outcome = counter.getId().getTag("outcome");
      if (NEVER.stream().anyMatch(code -> code.name().equals(outcome))) {
        counts.put(counter.getId().getTag("address") + " " + outcome, counter.count());
      }
    }
    return counts;
  }

  /** One connection sending its frames one at a time. */
  private static final class Sender {
    final String label;
    final Map<Answer, Long> answers = new EnumMap<>(Answer.class);
    final Map<Table, Long> writes = new EnumMap<>(Table.class);
    final Map<String, Long> handled = new java.util.HashMap<>();
    final List<String> problems = new ArrayList<>();
    long sent;
    long events;
    long problemCount;
    long slowestNanos;
    BridgeClient client;

    Sender(String label) {
      this.label = label;
    }

    Sender send(Supplier<Case> generator, int count) throws IOException {
      client = connect();
      try {
        for (int i = 0; i < count; i++) {
          Case c = generator.get();
          String problem = exchange(c);
          sent++;
          if (problem != null) {
            problemCount++;
            if (problems.size() < 40) {
              problems.add("[" + label + " #" + i + "] " + problem + "\n    frame: " + c.describe());
            }
          }
        }
      } finally {
        client.close();
      }
      return this;
    }

    /**
     * Sends the frame and a ping behind it, then reads until the frame is answered: the bridge handles a
     * connection's frames in order, so a refusal of the frame itself arrives before the pong, and a request it
     * carried is answered on its reply address before or after the pong. The problem with the answer, or null.
     */
    String exchange(Case c) throws IOException {
      long started = System.nanoTime();
      long deadline = started + TimeUnit.MILLISECONDS.toNanos(ANSWER_BOUND_MS);
      try {
        return answer(c, deadline);
      } finally {
        slowestNanos = Math.max(slowestNanos, System.nanoTime() - started);
      }
    }

    private String answer(Case c, long deadline) throws IOException {
      try {
        client.sendRaw(concat(c.frame(), PING));
      } catch (IOException e) {
        if (!c.closes()) {
          reconnect();
          return "could not be sent: " + e;
        }
      }
      if (c.closes()) {
        return closing(c, deadline);
      }
      JsonObject answer = null;
      boolean pong = false;
      String stray = null;
      while (!pong || (answer == null && c.replyAddress() != null)) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0 || !client.hasFrameWithin(left)) {
          reconnect();
          return (left <= 0 || isOpen() ? "no answer within " + ANSWER_BOUND_MS + " ms" : "connection closed")
              + (pong ? " (pong came)" : "") + (stray != null ? "; stray " + stray : "");
        }
        JsonObject frame = client.receive();
        String type = frame.getString("type");
        String address = frame.getString("address");
        if ("pong".equals(type)) {
          pong = true;
        } else if (answer == null && c.replyAddress() != null && c.replyAddress().equals(address)) {
          answer = frame;
        } else if (answer == null && !pong && "err".equals(type) && address == null) {
          answer = frame; // the bridge refused the frame itself
        } else {
          stray = frame.encode();
        }
      }
      if (stray != null) {
        return "a frame that answers nothing arrived: " + stray;
      }
      return judge(c, answer);
    }

    /** A frame the bridge answers frame_too_large and closes its connection on. */
    private String closing(Case c, long deadline) throws IOException {
      String problem = null;
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left > 0 && client.hasFrameWithin(left)) {
        JsonObject frame = client.receive();
        problem = judge(c, "err".equals(frame.getString("type")) && frame.getString("address") == null ? frame : null);
      } else {
        problem = "no frame_too_large answer";
      }
      left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (problem == null && !client.closedWithin(Math.max(1, left))) {
        problem = "the connection stayed open";
      }
      reconnect();
      return problem;
    }

    private boolean isOpen() {
      try {
        return !client.closedWithin(1);
      } catch (IOException e) {
        return false;
      }
    }

    private void reconnect() throws IOException {
      client.close();
      client = connect();
    }

    /** The problem with {@code frame} as the answer to {@code c}, or null; counts what was answered. */
    private String judge(Case c, JsonObject frame) {
      Answer kind;
      String detail;
      if (frame == null) {
        kind = Answer.NONE;
        detail = "nothing";
      } else if ("message".equals(frame.getString("type"))) {
        kind = Answer.REPLY;
        detail = "success";
        if (!(frame.getValue("body") instanceof JsonObject)) {
          return "a success whose body is not an object: " + frame.encode();
        }
      } else if ("err".equals(frame.getString("type")) && frame.containsKey("failureCode")) {
        int code = frame.getInteger("failureCode");
        String type = frame.getString("failureType");
        detail = code + " " + type + " " + frame.getString("message");
        if ("NO_HANDLERS".equals(type)) {
          kind = Answer.NO_HANDLERS;
        } else if (!"RECIPIENT_FAILURE".equals(type) || (code != 400 && code != 404 && code != 409)) {
          return "answered " + detail;
        } else {
          kind = Answer.REFUSAL;
          String problem = refusalProblem(c, code, frame.getString("message"));
          if (problem != null) {
            return problem;
          }
        }
      } else if ("err".equals(frame.getString("type"))) {
        kind = Answer.ERR;
        String message = frame.getString("message");
        detail = "err " + message;
        if (!FuzzMessages.isRefusal(message) && !"frame_too_large".equals(message)) {
          return "an err frame the bridge does not send: " + frame.encode();
        }
        if (!c.errMessages().isEmpty() && !c.errMessages().contains(message)) {
          return "answered " + detail + ", expected " + c.errMessages();
        }
      } else {
        return "answered with a frame of type " + frame.getString("type") + ": " + frame.encode();
      }
      answers.merge(kind, 1L, Long::sum);
      if (kind == Answer.REPLY || kind == Answer.REFUSAL) {
        handled.merge(c.address(), 1L, Long::sum);
      }
      if (!c.allowed().contains(kind)) {
        return "answered " + detail + ", expected " + c.allowed();
      }
      if (kind == Answer.REPLY) {
        JsonObject body = frame.getJsonObject("body");
        if (c.duplicate() && !Boolean.TRUE.equals(body.getValue("duplicate"))) {
          return "an exact resend answered as new: " + body.encode();
        }
        boolean wrote = FuzzMessages.WRITES.contains(c.address()) && !Boolean.TRUE.equals(body.getValue("duplicate"));
        if (!wrote) {
          return null;
        }
        if (c.writes() != null) {
          writes.merge(c.writes(), 1L, Long::sum);
        }
        events += eventsOf(c.address(), body);
        if (c.onReply() != null) {
          c.onReply().accept(body);
        }
      }
      return null;
    }

    private static String refusalProblem(Case c, int code, String message) {
      JsonObject error;
      try {
        error = new JsonObject(message);
      } catch (DecodeException e) {
        return "a refusal whose message is not the documented JSON: " + message;
      }
      String expectedError = switch (code) {
        case 400 -> "INVALID_REQUEST";
        case 404 -> "NOT_FOUND";
        default -> "CONFLICT";
      };
      if (!expectedError.equals(error.getString("error"))) {
        return "failureCode " + code + " with error " + error.getString("error");
      }
      if (c.expectedCode() != null && c.expectedCode() != code) {
        return "answered " + code + " " + message + ", expected " + c.expectedCode();
      }
      if (c.invalidField() != null) {
        String field = error.getString("field");
        boolean named = c.invalidField().equals(field) || (c.fieldAliases().contains(c.invalidField()) && c.fieldAliases().contains(field));
        if (code != 400 || !named) {
          return "answered " + code + " " + message + ", expected 400 naming " + c.invalidField();
        }
      }
      return null;
    }
  }

  /** The outbox events a command that changed something writes (docs/events.md). */
  private static int eventsOf(String address, JsonObject reply) {
    return switch (address) {
      case Addresses.FILLS_RECORD -> 3; // fill.recorded, order.updated, position.changed
      case Addresses.ORDERS_PLACE -> reply.getString("quoteId") == null ? 1 : 2; // order.placed (and quote.used)
      default -> 1;
    };
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private static BridgeClient connect() throws IOException {
    return new BridgeClient("127.0.0.1", running.config.bridge().port());
  }

  // ---- the rows the refused phase refers to ----

  private static Fixture fixture(World w) throws IOException {
    String run = Long.toString(SEED & 0xffffff, 36);
    Fixture x = new Fixture("fzq-active-" + run, "fzq-used-" + run, "fzo-open-" + run, "fzx-open-" + run, "fzo-filled-" + run,
        "fzo-rejected-" + run, "fzf-open-" + run, "USDT", "2026-01-01T00:00:00Z");
    try (BridgeClient client = connect()) {
      String expires = Instant.now().plusSeconds(86_400).toString();
      ok(client, Addresses.QUOTES_SUBMIT, quote(x.activeQuote(), w.symbol).put("expiresAt", expires));
      ok(client, Addresses.QUOTES_SUBMIT, quote(x.usedQuote(), w.symbol));
      ok(client, Addresses.ORDERS_PLACE, order(x.openOrder(), w, "4"));
      ok(client, Addresses.ORDERS_UPDATE, new JsonObject().put("orderId", x.openOrder()).put("status", "ACCEPTED")
          .put("externalOrderId", x.openExternalId()));
      ok(client, Addresses.FILLS_RECORD, fill(x.openFill(), x.openOrder()));
      ok(client, Addresses.ORDERS_PLACE, order(x.filledOrder(), w, "1").put("quoteId", x.usedQuote()));
      ok(client, Addresses.FILLS_RECORD, fill("fzf-filled-" + run, x.filledOrder()));
      ok(client, Addresses.ORDERS_PLACE, order(x.rejectedOrder(), w, "1"));
      ok(client, Addresses.ORDERS_UPDATE, new JsonObject().put("orderId", x.rejectedOrder()).put("status", "REJECTED")
          .put("reason", "fixture"));
      ok(client, Addresses.BALANCES_UPDATE, new JsonObject().put("account", w.account).put("asset", x.balanceAsset())
          .put("available", "10").put("locked", "0").put("asOf", x.balanceAsOf()));
    }
    return x;
  }

  private static JsonObject quote(String quoteId, String symbol) {
    return new JsonObject().put("quoteId", quoteId).put("symbol", symbol).put("bidPrice", "100").put("bidQuantity", "1")
        .put("askPrice", "101").put("askQuantity", "1");
  }

  /** The order FuzzMessages re-uses the ids of: the same fields but the quantity. */
  private static JsonObject order(String orderId, World w, String quantity) {
    return new JsonObject().put("orderId", orderId).put("account", w.account).put("symbol", w.symbol).put("side", "BUY")
        .put("type", "LIMIT").put("quantity", quantity).put("price", "100");
  }

  private static JsonObject fill(String fillId, String orderId) {
    return new JsonObject().put("fillId", fillId).put("orderId", orderId).put("quantity", "1").put("price", "100");
  }

  private static void ok(BridgeClient client, String address, JsonObject body) throws IOException {
    JsonObject reply = client.request(address, body, "fixture");
    assertEquals("message", reply.getString("type"), address + " " + body.encode() + " -> " + reply.encode());
  }

  // ---- the database, through a connection of the test's own ----

  /** Each table's row count and a digest of its rows. */
  private static Map<String, String> snapshot() throws Exception {
    Map<String, String> tables = new LinkedHashMap<>();
    try (Connection db = database()) {
      for (Map.Entry<String, String> table : TABLES.entrySet()) {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long rows = 0;
        try (ResultSet rs = db.createStatement().executeQuery(table.getValue())) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            rows++;
            for (int i = 1; i <= columns; i++) {
              digest.update(String.valueOf(rs.getString(i)).getBytes(StandardCharsets.UTF_8));
              digest.update((byte) 0);
            }
          }
        }
        tables.put(table.getKey(), rows + " rows, " + HexFormat.of().formatHex(digest.digest()).substring(0, 16));
      }
    }
    return tables;
  }

  private static Map<String, Long> rowCounts() throws Exception {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String table : TABLES.keySet()) {
      counts.put(table, running.queryLong("SELECT count(*) FROM " + table));
    }
    return counts;
  }

  private static Connection database() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + running.config.database().path().toAbsolutePath());
  }

  /** Every request the bridge carried has been answered (one-way sends too: they count until their handler is done). */
  private static void awaitNoRequestInFlight() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    double inFlight;
    while ((inFlight = running.engine.registry().get("tradestore.bridge.requests.in.flight").gauge().value()) > 0
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(0.0, inFlight, "requests in flight through the bridge");
  }
}
