package io.tradestore.bridge;

import io.tradestore.Addresses;
import io.tradestore.bridge.FuzzValues.Field;
import io.tradestore.bridge.FuzzValues.Kind;
import io.tradestore.bridge.FuzzValues.Mutation;
import io.tradestore.bridge.FuzzValues.Raw;
import io.tradestore.bridge.FuzzValues.Verdict;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

import static io.tradestore.bridge.FuzzValues.pick;

/**
 * The fuzz test's frames: requests to every address docs/api.md lists as reachable through the bridge, built
 * from a valid request with fields mutated ({@link FuzzValues}), bodies that are not objects, requests the
 * engine must refuse for what they contradict (an unknown order, an overfill), and frames the bridge itself must
 * refuse (not JSON, a wrong {@code type}, {@code headers} not an object, addresses it does not permit). Each
 * frame comes with the answers the engine may give it. Everything is drawn from one {@link Random}, so a seed
 * gives the same frames again (but for the times taken from the clock, such as an expiry a day from now).
 */
final class FuzzMessages {
  /** What arrived for a frame. */
  enum Answer {
    /** a {@code message} frame to the request's reply address */
    REPLY,
    /** an {@code err} frame with failureCode 400, 404 or 409 from the handler */
    REFUSAL,
    /** an {@code err} frame from the bridge itself (invalid_json, access_denied, ...) */
    ERR,
    /** nothing: a one-way send, a registration */
    NONE,
    /** the event bus has no handler at the address (a permitted address nobody serves) */
    NO_HANDLERS
  }

  /** The tables a successful command adds one row to. */
  enum Table { QUOTES, ORDERS, FILLS, BALANCE_UPDATES }

  /**
   * A frame and what may answer it. {@code replyAddress}: as the bridge will read it (null when the frame has
   * none or the bridge cannot read it). {@code expectedCode}: the one failure code a refusal must carry, when the
   * case knows it. {@code invalidField}: the field a 400 must name (the one field mutated into an invalid value);
   * {@code fieldAliases} are the other names the handler may report for it. {@code errMessages}: the bridge's
   * refusals accepted for an {@link Answer#ERR}. {@code closes}: the bridge answers frame_too_large and closes.
   * {@code onReply} is told a successful reply's body (to remember ids); {@code writes} is the table it adds to.
   * {@code duplicate}: a success must say {@code "duplicate": true} (an exact resend).
   */
  record Case(String address, String label, byte[] frame, String replyAddress, Set<Answer> allowed, Integer expectedCode,
              String invalidField, Set<String> fieldAliases, Set<String> errMessages, boolean closes, Table writes,
              Consumer<JsonObject> onReply, boolean duplicate) {
    Case(String address, String label, byte[] frame, String replyAddress, Set<Answer> allowed, Integer expectedCode,
         String invalidField, Set<String> fieldAliases, Set<String> errMessages, boolean closes, Table writes,
         Consumer<JsonObject> onReply) {
      this(address, label, frame, replyAddress, allowed, expectedCode, invalidField, fieldAliases, errMessages, closes, writes,
          onReply, false);
    }

    Case duplicateExpected() {
      return new Case(address, label, frame, replyAddress, allowed, expectedCode, invalidField, fieldAliases, errMessages, closes,
          writes, onReply, true);
    }

    String describe() {
      String text = new String(frame, 4, Math.min(frame.length - 4, 400), StandardCharsets.UTF_8);
      return address + " [" + label + "] " + text.replaceAll("\\p{Cntrl}", "\u00b7")
          + (frame.length > 404 ? "...(" + (frame.length - 4) + " bytes)" : "");
    }
  }

  /** A valid request: its fields, the specification of each, and the names the handler may report a field under. */
  record Body(String address, Map<String, Object> fields, List<Field> specs, Set<String> aliases, Table writes) { }

  static final List<String> SERVED = List.of(Addresses.ENGINE_INFO, Addresses.QUOTES_SUBMIT, Addresses.QUOTES_CANCEL,
      Addresses.QUOTES_GET, Addresses.QUOTES_ACTIVE, Addresses.ORDERS_PLACE, Addresses.ORDERS_UPDATE,
      Addresses.ORDERS_CANCEL, Addresses.ORDERS_GET, Addresses.ORDERS_LIST, Addresses.FILLS_RECORD, Addresses.FILLS_LIST,
      Addresses.POSITIONS_GET, Addresses.POSITIONS_LIST, Addresses.BALANCES_UPDATE, Addresses.BALANCES_LIST);
  static final List<String> WRITES = List.of(Addresses.QUOTES_SUBMIT, Addresses.QUOTES_CANCEL, Addresses.ORDERS_PLACE,
      Addresses.ORDERS_UPDATE, Addresses.ORDERS_CANCEL, Addresses.FILLS_RECORD, Addresses.BALANCES_UPDATE);
  /** Reads whose fields are all optional: an empty or null body is a valid request there. */
  private static final Set<String> ALL_OPTIONAL = Set.of(Addresses.ENGINE_INFO, Addresses.QUOTES_ACTIVE,
      Addresses.ORDERS_LIST, Addresses.POSITIONS_LIST, Addresses.BALANCES_LIST);
  /** Not permitted by bridge.inboundPermitted (events, outbox operator commands, Vert.x internals, near misses). */
  private static final List<String> DENIED = List.of(Addresses.OUTBOX_REQUEUE, Addresses.OUTBOX_SKIP, Addresses.OUTBOX_REPLAY,
      Addresses.OUTBOX_STATUS, "trading.events", "trading.events.fill.recorded", "trading.events.", "vertx.internal",
      "Trading.orders.place", " trading.orders.place", "trading.", "trading", "internal.audit", "\ud800", "trading.outbox.");
  /** Of those, the ones a client may not register on either (it may listen on events: they would interleave with answers). */
  private static final List<String> DENIED_LISTEN = DENIED.stream().filter(a -> !a.matches("trading\\.events(\\..+)?")).toList();
  /** Permitted by the patterns, served by nobody. */
  private static final List<String> UNSERVED = List.of("trading.orders.place ", "trading.nope", "trading.orders.placex",
      "trading.quotes.submit.v2", "trading.\u0000", "trading." + "x".repeat(1000));

  private static final Set<String> REFUSALS = Set.of("access_denied", "missing_address", "unknown_type", "unknown_address",
      "invalid_json", "invalid_frame");
  private static final List<String> SIDES = List.of("BUY", "SELL");
  private static final List<String> TYPES = List.of("LIMIT", "MARKET");
  private static final List<String> STATUSES = List.of("NEW", "ACCEPTED", "PARTIALLY_FILLED", "FILLED", "CANCELLED", "REJECTED", "EXPIRED");

  /** The ids a generator refers to: fixed ones made before the run (refused phase), or those it made itself. */
  static final class World {
    final String account;
    final String symbol;
    final String otherSymbol;
    final List<String> quotes = new ArrayList<>();
    final List<String> orders = new ArrayList<>();
    final List<String> externalIds = new ArrayList<>();
    /** Bodies (JSON text) of writes that succeeded, by address, for exact resends. */
    final List<String[]> succeeded = new ArrayList<>();

    World(String account, String symbol, String otherSymbol) {
      this.account = account;
      this.symbol = symbol;
      this.otherSymbol = otherSymbol;
    }
  }

  /** The rows the refused phase's contradictions refer to, made before its snapshot. */
  record Fixture(String activeQuote, String usedQuote, String openOrder, String openExternalId, String filledOrder,
                 String rejectedOrder, String openFill, String balanceAsset, String balanceAsOf) { }

  private final Random rnd;
  private final String prefix;
  private final World world;
  private final Fixture fixture;
  private final int maxFrameBytes;
  private long sequence;

  FuzzMessages(Random rnd, String prefix, World world, Fixture fixture, int maxFrameBytes) {
    this.rnd = rnd;
    this.prefix = prefix;
    this.world = world;
    this.fixture = fixture;
    this.maxFrameBytes = maxFrameBytes;
  }

  private String fresh(String kind) {
    return prefix + "-" + kind + "-" + (++sequence);
  }

  private boolean chance(double p) {
    return rnd.nextDouble() < p;
  }

  /** A frame for the refused-only phase: every one of them must be refused, and none may write anything. */
  Case refused() {
    int roll = rnd.nextInt(100);
    if (roll < 62) {
      return fieldCase(template(pick(rnd, SERVED)), true);
    }
    if (roll < 74) {
      return contradiction();
    }
    if (roll < 80) {
      return bodyCase(pick(rnd, SERVED), true);
    }
    return frameCase();
  }

  /** A frame for the mixed phase: valid requests and resends among mutated ones. */
  Case mixed() {
    int roll = rnd.nextInt(100);
    if (roll < 8 && !world.succeeded.isEmpty()) {
      String[] again = pick(rnd, world.succeeded);
      if (again[0].equals(Addresses.BALANCES_UPDATE)) {
        // a snapshot: a resend is a duplicate only while no later one arrived (then 409), a new one without asOf
        return request(again[0], "resend", again[1], EnumSet.of(Answer.REPLY, Answer.REFUSAL), null, null, Set.of(), null,
            Table.BALANCE_UPDATES, null);
      }
      // the same id with the same content: success, duplicate, nothing written, whatever happened since (api.md)
      return request(again[0], "exact resend", again[1], EnumSet.of(Answer.REPLY), null, null, Set.of(), null, tableOf(again[0]), null)
          .duplicateExpected();
    }
    if (roll < 90) {
      return fieldCase(template(pick(rnd, SERVED)), false);
    }
    if (roll < 95) {
      return bodyCase(pick(rnd, SERVED), false);
    }
    return frameCase();
  }

  private static Table tableOf(String address) {
    return switch (address) {
      case Addresses.QUOTES_SUBMIT -> Table.QUOTES;
      case Addresses.ORDERS_PLACE -> Table.ORDERS;
      case Addresses.FILLS_RECORD -> Table.FILLS;
      case Addresses.BALANCES_UPDATE -> Table.BALANCE_UPDATES;
      default -> null;
    };
  }

  // ---- valid requests, one per address ----

  private String futureIso() {
    return Instant.now().plusSeconds(86_400 + rnd.nextInt(86_400)).toString();
  }

  private String anyQuote() {
    if (fixture != null) {
      return fixture.activeQuote();
    }
    return world.quotes.isEmpty() || chance(0.2) ? fresh("q") : pick(rnd, world.quotes);
  }

  private String anyOrder() {
    if (fixture != null) {
      return fixture.openOrder();
    }
    return world.orders.isEmpty() || chance(0.1) ? fresh("o") : pick(rnd, world.orders);
  }

  private String decimal(String... choices) {
    return pick(rnd, choices);
  }

  Body template(String address) {
    Map<String, Object> f = new LinkedHashMap<>();
    List<Field> specs = new ArrayList<>();
    Set<String> aliases = Set.of();
    switch (address) {
      case Addresses.ENGINE_INFO -> { }
      case Addresses.QUOTES_SUBMIT -> {
        put(f, specs, Field.of("quoteId", Kind.ID, true), fresh("q"));
        put(f, specs, Field.of("symbol", Kind.ID, true), world.symbol);
        put(f, specs, Field.of("bidPrice", Kind.POSITIVE, true), decimal("100", "99.5", "0.0001"));
        put(f, specs, Field.of("bidQuantity", Kind.POSITIVE, true), decimal("1", "2.5"));
        put(f, specs, Field.of("askPrice", Kind.POSITIVE, true), decimal("101", "100.25"));
        put(f, specs, Field.of("askQuantity", Kind.POSITIVE, true), decimal("2", "0.3"));
        if (chance(0.6)) {
          put(f, specs, Field.of("expiresAt", Kind.FUTURE_TIMESTAMP, false), futureIso());
        }
        if (chance(0.4)) {
          put(f, specs, Field.of("sourceSymbol", Kind.ID, false), "BTC-USD");
          put(f, specs, Field.of("sourceBidPrice", Kind.POSITIVE, false), "99.9");
          put(f, specs, Field.of("sourceAskPrice", Kind.POSITIVE, false), "100.1");
        }
      }
      case Addresses.QUOTES_CANCEL, Addresses.QUOTES_GET -> put(f, specs, Field.of("quoteId", Kind.ID, true), anyQuote());
      case Addresses.QUOTES_ACTIVE -> {
        optional(f, specs, Field.of("symbol", Kind.ID, false), world.symbol);
        optional(f, specs, Field.limit(1000), 1 + rnd.nextInt(50));
      }
      case Addresses.ORDERS_PLACE -> {
        boolean market = chance(0.25);
        put(f, specs, Field.of("orderId", Kind.ID, true), fresh("o"));
        optional(f, specs, Field.of("account", Kind.ID, false), world.account);
        put(f, specs, Field.of("symbol", Kind.ID, true), world.symbol);
        put(f, specs, Field.enumOf("side", true, SIDES, List.of()), pick(rnd, SIDES));
        put(f, specs, Field.enumOf("type", true, TYPES, List.of()), market ? "MARKET" : "LIMIT");
        put(f, specs, Field.of("quantity", Kind.POSITIVE, true), decimal("4", "1", "0.5", "10"));
        if (!market) {
          put(f, specs, Field.of("price", Kind.POSITIVE, true).dependingOn("type"), decimal("100", "200", "99.99"));
        }
        if (fixture == null && !world.quotes.isEmpty() && chance(0.2)) {
          put(f, specs, Field.of("quoteId", Kind.ID, false), pick(rnd, world.quotes));
        }
      }
      case Addresses.ORDERS_UPDATE -> {
        put(f, specs, Field.of("orderId", Kind.ID, true), anyOrder());
        String status = pick(rnd, "ACCEPTED", "REJECTED", "CANCELLED", "EXPIRED");
        put(f, specs, Field.enumOf("status", true, List.of("ACCEPTED", "REJECTED", "CANCELLED", "EXPIRED"),
            List.of("NEW", "PARTIALLY_FILLED", "FILLED")), status);
        if (status.equals("ACCEPTED")) {
          put(f, specs, Field.of("externalOrderId", Kind.ID, true).dependingOn("status"), fresh("x"));
        } else if (status.equals("REJECTED")) {
          put(f, specs, Field.of("reason", Kind.NOTE, true).dependingOn("status"), pick(rnd, "no margin", "venue said:\n\tno"));
        }
      }
      case Addresses.ORDERS_CANCEL -> put(f, specs, Field.of("orderId", Kind.ID, true), anyOrder());
      case Addresses.ORDERS_GET -> {
        aliases = Set.of("orderId", "externalOrderId");
        if (chance(0.3) && (fixture != null || !world.externalIds.isEmpty())) {
          put(f, specs, Field.of("externalOrderId", Kind.ID, true),
              fixture != null ? fixture.openExternalId() : pick(rnd, world.externalIds));
        } else {
          put(f, specs, Field.of("orderId", Kind.ID, true), anyOrder());
        }
      }
      case Addresses.ORDERS_LIST -> {
        optional(f, specs, Field.of("account", Kind.ID, false), world.account);
        optional(f, specs, Field.of("symbol", Kind.ID, false), world.symbol);
        optional(f, specs, Field.enumOf("status", false, STATUSES, List.of()), pick(rnd, STATUSES));
        optional(f, specs, Field.limit(1000), 1 + rnd.nextInt(100));
        optional(f, specs, Field.of("cursor", Kind.CURSOR, false), String.valueOf(1 + rnd.nextInt(1000)));
      }
      case Addresses.FILLS_RECORD -> {
        put(f, specs, Field.of("fillId", Kind.ID, true), fresh("f"));
        put(f, specs, Field.of("orderId", Kind.ID, true), anyOrder());
        put(f, specs, Field.of("price", Kind.POSITIVE, true), decimal("100", "101.5", "99"));
        put(f, specs, Field.of("quantity", Kind.POSITIVE, true), decimal("0.1", "0.25", "1"));
        if (chance(0.4)) { // both or neither: with both present, each one alone is required
          put(f, specs, Field.of("fee", Kind.DECIMAL, true).pairedWith("feeAsset"), decimal("0.01", "-0.002", "0"));
          put(f, specs, Field.of("feeAsset", Kind.ID, true).pairedWith("fee"), "USDT");
        }
        if (chance(0.5)) {
          put(f, specs, Field.of("executedAt", Kind.TIMESTAMP, false), chance(0.5) ? Instant.now().toString() : (Object) System.currentTimeMillis());
        }
        if (chance(0.3)) {
          put(f, specs, Field.of("tradeId", Kind.ID, false), fresh("t"));
        }
        if (chance(0.3)) {
          put(f, specs, Field.enumOf("liquidity", false, List.of("MAKER", "TAKER"), List.of()), pick(rnd, "MAKER", "TAKER"));
        }
      }
      case Addresses.FILLS_LIST -> {
        aliases = Set.of("orderId", "symbol");
        optional(f, specs, Field.limit(1000), 1 + rnd.nextInt(100));
        if (chance(0.5)) {
          put(f, specs, Field.of("orderId", Kind.ID, true), anyOrder());
          optional(f, specs, Field.of("cursor", Kind.CURSOR, false), String.valueOf(1 + rnd.nextInt(1000)));
        } else {
          put(f, specs, Field.of("symbol", Kind.ID, true), world.symbol);
          if (chance(0.5)) { // from before to, as the handler requires
            put(f, specs, Field.of("from", Kind.TIMESTAMP, false), "2020-01-01T00:00:00Z");
            put(f, specs, Field.of("to", Kind.TIMESTAMP, false), "3000-01-01T00:00:00Z");
          }
          optional(f, specs, Field.of("cursor", Kind.FILL_CURSOR, false), "0:0");
        }
      }
      case Addresses.POSITIONS_GET -> {
        optional(f, specs, Field.of("account", Kind.ID, false), world.account);
        put(f, specs, Field.of("symbol", Kind.ID, true), world.symbol);
      }
      case Addresses.POSITIONS_LIST -> {
        optional(f, specs, Field.of("account", Kind.ID, false), world.account);
        optional(f, specs, Field.of("openOnly", Kind.BOOL, false), rnd.nextBoolean());
      }
      case Addresses.BALANCES_UPDATE -> {
        optional(f, specs, Field.of("account", Kind.ID, false), world.account);
        put(f, specs, Field.of("asset", Kind.ID, true), fixture != null ? fixture.balanceAsset() : pick(rnd, "USDT", "BTC", "ETH"));
        // docs/api.md: available and locked (>= 0); the handler refuses a negative locked, takes a negative available
        put(f, specs, Field.of("available", Kind.DECIMAL, true), decimal("1000.5", "0", "12"));
        put(f, specs, Field.of("locked", Kind.NON_NEGATIVE, true), decimal("200", "0"));
        if (chance(0.5)) {
          put(f, specs, Field.of("asOf", Kind.TIMESTAMP, false), Instant.now().toString());
        }
      }
      case Addresses.BALANCES_LIST -> optional(f, specs, Field.of("account", Kind.ID, false), world.account);
      default -> throw new IllegalArgumentException(address);
    }
    return new Body(address, f, specs, aliases, tableOf(address));
  }

  /** A map of the given keys and values in that order (the frames' bytes follow from the seed alone). */
  static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static void put(Map<String, Object> fields, List<Field> specs, Field spec, Object value) {
    fields.put(spec.name(), value);
    specs.add(spec);
  }

  private void optional(Map<String, Object> fields, List<Field> specs, Field spec, Object value) {
    if (chance(0.6)) {
      put(fields, specs, spec, value);
    }
  }

  // ---- requests with fields mutated ----

  /**
   * A valid request with fields changed. When {@code invalid}, one field gets a value its rules refuse (and maybe
   * an unknown field besides): the handler must answer 400 naming it. Otherwise none to three fields change to
   * any value, and the request may be answered either way, unless one of the values is invalid.
   */
  private Case fieldCase(Body body, boolean invalid) {
    Map<String, Object> fields = new LinkedHashMap<>(body.fields());
    List<String> labels = new ArrayList<>();
    List<Mutation> mutations = new ArrayList<>();
    String mutatedField = null;
    if (body.specs().isEmpty()) {
      // trading.engine.info: any body is answered
      if (chance(0.7)) {
        Mutation extra = FuzzValues.unknownField(rnd);
        fields.put(pick(rnd, FuzzValues.UNKNOWN_FIELD_NAMES), extra.value());
        labels.add("unknown field " + extra.value());
        mutations.add(extra);
      }
    } else if (invalid) {
      Field field = pick(rnd, body.specs());
      Mutation m = FuzzValues.mutation(rnd, field, true);
      fields.put(field.name(), m.value());
      labels.add(field.name() + ": " + m.label());
      mutations.add(m);
      mutatedField = field.name();
    } else if (chance(0.65)) {
      int count = Math.min(body.specs().size(), 1 + (chance(0.3) ? 1 : 0) + (chance(0.1) ? 1 : 0));
      List<Field> distinct = new ArrayList<>(body.specs());
      java.util.Collections.shuffle(distinct, rnd); // distinct fields: a second value for one field would hide the first
      Map<String, Mutation> changed = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        Field field = distinct.get(i);
        Mutation m = FuzzValues.mutation(rnd, field, false);
        fields.put(field.name(), m.value());
        labels.add(field.name() + ": " + m.label());
        changed.put(field.name(), m);
        mutatedField = count == 1 ? field.name() : null;
      }
      for (Field field : distinct.subList(0, count)) {
        Mutation m = changed.get(field.name());
        // a price is refused for a LIMIT order, not a MARKET one; fee and feeAsset both absent is no fee at all
        boolean ruleGone = changed.containsKey(field.dependsOn())
            || (m.removes() && changed.containsKey(field.partner()) && changed.get(field.partner()).removes());
        mutations.add(ruleGone ? m.plausible() : m);
      }
    }
    if (chance(0.15)) {
      Mutation extra = FuzzValues.unknownField(rnd);
      String name = pick(rnd, FuzzValues.UNKNOWN_FIELD_NAMES);
      if (!fields.containsKey(name)) {
        fields.put(name, extra.value());
        labels.add("unknown field");
      }
    }
    boolean refused = mutations.stream().anyMatch(m -> m.verdict() == Verdict.INVALID);
    boolean breaks = mutations.stream().anyMatch(Mutation::breaksFrame);
    Set<Answer> allowed;
    if (breaks) {
      allowed = EnumSet.of(Answer.ERR);
    } else if (body.address().equals(Addresses.ENGINE_INFO)) {
      allowed = EnumSet.of(Answer.REPLY);
    } else {
      allowed = refused ? EnumSet.of(Answer.REFUSAL) : EnumSet.of(Answer.REPLY, Answer.REFUSAL);
    }
    String invalidField = refused && !breaks && mutations.size() == 1 ? mutatedField : null;
    String bodyJson = FuzzValues.json(fields, chance(0.5));
    Consumer<JsonObject> remember = mutations.isEmpty() && !invalid ? reply -> remember(body, bodyJson, reply) : null;
    return request(body.address(), labels.isEmpty() ? "valid" : String.join("; ", labels), bodyJson, allowed, null,
        invalidField, body.aliases(), breaks ? Set.of("invalid_json") : null, body.writes(), remember);
  }

  /** A write that succeeded unchanged: its ids are there to be referred to, its body to be resent. */
  private void remember(Body body, String bodyJson, JsonObject reply) {
    if (Boolean.TRUE.equals(reply.getValue("duplicate"))) {
      return;
    }
    switch (body.address()) {
      case Addresses.QUOTES_SUBMIT -> world.quotes.add(reply.getString("quoteId"));
      case Addresses.ORDERS_PLACE -> world.orders.add(reply.getString("orderId"));
      case Addresses.ORDERS_UPDATE -> {
        if (reply.getString("externalOrderId") != null && !world.externalIds.contains(reply.getString("externalOrderId"))) {
          world.externalIds.add(reply.getString("externalOrderId"));
        }
      }
      default -> { }
    }
    if (WRITES.contains(body.address())) {
      world.succeeded.add(new String[] {body.address(), bodyJson});
    }
  }

  /** A send with a reply address and the given body text. */
  private Case request(String address, String label, String bodyJson, Set<Answer> allowed, Integer code, String invalidField,
                       Set<String> aliases, Set<String> errMessages, Table writes, Consumer<JsonObject> onReply) {
    String replyAddress = fresh("r");
    Map<String, Object> frame = new LinkedHashMap<>();
    if (chance(0.1)) {
      frame.put("headers", ordered("trace", fresh("h")));
    }
    frame.put("type", "send");
    frame.put("address", address);
    frame.put("replyAddress", replyAddress);
    frame.put("body", new Raw(bodyJson));
    byte[] bytes = framed(FuzzValues.json(frame, true).getBytes(StandardCharsets.UTF_8));
    if (bytes.length - 4 > maxFrameBytes) {
      return new Case(address, label + " (beyond the frame limit)", bytes, replyAddress, EnumSet.of(Answer.ERR), null, null,
          Set.of(), Set.of("frame_too_large"), true, null, null);
    }
    return new Case(address, label, bytes, replyAddress, allowed, code, invalidField, aliases, errMessages, false, writes, onReply);
  }

  static byte[] framed(byte[] json) {
    return ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).array();
  }

  // ---- bodies that are not request objects ----

  private Case bodyCase(String address, boolean refusedOnly) {
    boolean optional = ALL_OPTIONAL.contains(address);
    boolean info = address.equals(Addresses.ENGINE_INFO);
    int roll = rnd.nextInt(10);
    if (roll == 0 && (!refusedOnly || optional || info)) {
      // null and {} are no fields at all: valid where every field is optional
      Set<Answer> allowed = info || optional ? EnumSet.of(Answer.REPLY)
          : WRITES.contains(address) ? EnumSet.of(Answer.REFUSAL) : EnumSet.of(Answer.REPLY, Answer.REFUSAL);
      return request(address, "empty body", pick(rnd, "null", "{}"), allowed, null, null, Set.of(), null, tableOf(address), null);
    }
    if (roll == 1) {
      // nesting past the JSON parser's limit: the frame cannot be read
      return request(address, "body nested 2000 deep", FuzzValues.nested(2000, rnd.nextBoolean()).json(), EnumSet.of(Answer.ERR),
          null, null, Set.of(), Set.of("invalid_json"), null, null);
    }
    if (roll == 2) {
      // a number the event bus has no codec for: the bridge refuses to carry it, or the handler refuses it
      return request(address, "huge integer body", "1" + "0".repeat(40),
          info ? EnumSet.of(Answer.ERR, Answer.REPLY) : EnumSet.of(Answer.ERR, Answer.REFUSAL), 400, null, Set.of(),
          Set.of("invalid_frame"), null, null);
    }
    String body = pick(rnd, "[]", "[1,2,3]", "[{\"quoteId\":\"q\"}]", "\"text\"", "\"\"", "42", "-0", "1e400", "true",
        "false", "\"\\ud800\"", FuzzValues.json(FuzzValues.HUGE, true), FuzzValues.nested(900, false).json());
    return request(address, "body not an object", body, info ? EnumSet.of(Answer.REPLY) : EnumSet.of(Answer.REFUSAL), 400,
        null, Set.of(), null, null, null);
  }

  // ---- requests the engine must refuse for what they contradict ----

  private Case contradiction() {
    Fixture x = fixture;
    String unknown = fresh("unknown");
    return switch (rnd.nextInt(22)) {
      case 0 -> contradiction(Addresses.QUOTES_SUBMIT, "quoteId re-used with other content", 409, quote(x.activeQuote(), "99", "101"));
      case 1 -> contradiction(Addresses.QUOTES_CANCEL, "unknown quote", 404, ordered("quoteId", unknown));
      case 2 -> contradiction(Addresses.QUOTES_CANCEL, "quote already used", 409, ordered("quoteId", x.usedQuote()));
      case 3 -> contradiction(Addresses.ORDERS_PLACE, "quote already used", 409, order(fresh("o"), "4", x.usedQuote(), world.symbol));
      case 4 -> contradiction(Addresses.ORDERS_PLACE, "unknown quote", 404, order(fresh("o"), "4", unknown, world.symbol));
      case 5 -> contradiction(Addresses.ORDERS_PLACE, "quote of another symbol", 409, order(fresh("o"), "4", x.activeQuote(), world.otherSymbol));
      case 6 -> contradiction(Addresses.ORDERS_PLACE, "orderId re-used with other content", 409, order(x.openOrder(), "5", null, world.symbol));
      case 7 -> contradiction(Addresses.ORDERS_UPDATE, "unknown order", 404, ordered("orderId", unknown, "status", "CANCELLED"));
      case 8 -> contradiction(Addresses.ORDERS_UPDATE, "cancel a filled order", 409, ordered("orderId", x.filledOrder(), "status", "CANCELLED"));
      case 9 -> contradiction(Addresses.ORDERS_UPDATE, "accept a rejected order", 409,
          ordered("orderId", x.rejectedOrder(), "status", "ACCEPTED", "externalOrderId", fresh("x")));
      case 10 -> contradiction(Addresses.ORDERS_UPDATE, "a second venue id", 409,
          ordered("orderId", x.openOrder(), "status", "ACCEPTED", "externalOrderId", fresh("x")));
      case 11 -> contradiction(Addresses.ORDERS_UPDATE, "venue id of another order", 409,
          ordered("orderId", x.filledOrder(), "status", "ACCEPTED", "externalOrderId", x.openExternalId()));
      case 12 -> contradiction(Addresses.ORDERS_UPDATE, "reject a filled order", 409,
          ordered("orderId", x.filledOrder(), "status", "REJECTED", "reason", "late"));
      case 13 -> contradiction(Addresses.ORDERS_CANCEL, "unknown order", 404, ordered("orderId", unknown));
      case 14 -> contradiction(Addresses.ORDERS_CANCEL, "cancel a rejected order", 409, ordered("orderId", x.rejectedOrder()));
      case 15 -> contradiction(Addresses.FILLS_RECORD, "unknown order", 404, fill(fresh("f"), unknown, "1"));
      case 16 -> contradiction(Addresses.FILLS_RECORD, "overfill", 409, fill(fresh("f"), x.openOrder(), pick(rnd, "1000", "3.0000001")));
      case 17 -> contradiction(Addresses.FILLS_RECORD, "fill on a rejected order", 409, fill(fresh("f"), x.rejectedOrder(), "1"));
      case 18 -> contradiction(Addresses.FILLS_RECORD, "fillId re-used with other content", 409, fill(x.openFill(), x.openOrder(), "2"));
      case 19 -> contradiction(Addresses.BALANCES_UPDATE, "snapshot older than the stored one", 409,
          balance("2020-01-01T00:00:00Z", "5"));
      case 20 -> contradiction(Addresses.BALANCES_UPDATE, "same asOf, other amounts", 409, balance(x.balanceAsOf(), "6"));
      default -> contradiction(pick(rnd, Addresses.QUOTES_GET, Addresses.ORDERS_GET), "unknown id", 404,
          ordered("quoteId", unknown, "orderId", unknown));
    };
  }

  private Case contradiction(String address, String label, int code, Map<String, Object> fields) {
    return request(address, label, FuzzValues.json(fields, chance(0.5)), EnumSet.of(Answer.REFUSAL), code,
        null, Set.of(), null, null, null);
  }

  private Map<String, Object> quote(String quoteId, String bid, String ask) {
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("quoteId", quoteId);
    q.put("symbol", world.symbol);
    q.put("bidPrice", bid);
    q.put("bidQuantity", "1");
    q.put("askPrice", ask);
    q.put("askQuantity", "1");
    return q;
  }

  private Map<String, Object> order(String orderId, String quantity, String quoteId, String symbol) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("orderId", orderId);
    o.put("account", world.account);
    o.put("symbol", symbol);
    o.put("side", "BUY");
    o.put("type", "LIMIT");
    o.put("quantity", quantity);
    o.put("price", "100");
    if (quoteId != null) {
      o.put("quoteId", quoteId);
    }
    return o;
  }

  private static Map<String, Object> fill(String fillId, String orderId, String quantity) {
    return ordered("fillId", fillId, "orderId", orderId, "quantity", quantity, "price", "100");
  }

  private Map<String, Object> balance(String asOf, String available) {
    return ordered("account", world.account, "asset", fixture.balanceAsset(), "available", available, "locked", "0", "asOf", asOf);
  }

  // ---- frames the bridge must refuse ----

  private Case frameCase() {
    String address = pick(rnd, SERVED);
    String reply = fresh("r");
    // a body that no handler accepts, so that a frame the bridge carries after all still writes nothing
    String badBody = "{\"quoteId\":\"\\ud800\",\"orderId\":\"\\u0000\",\"fillId\":7,\"asset\":[],\"symbol\":\"\"}";
    Set<Answer> refusedOrErr = EnumSet.of(Answer.ERR, Answer.REFUSAL);
    return switch (rnd.nextInt(17)) {
      case 0 -> frame("not JSON", pick(rnd, "{", "{not json", " ", "nul", "{\"type\":\"send\",}", "{'type':'send'}",
          "{\"type\":\"send\",\"address\":\"" + address + "\",\"replyAddress\":\"" + reply + "\",\"body\":{\"v\":NaN}}",
          "{\"type\":\"send\"}}", "\"type\"", "{\"type\":\"send\"} trailing", "{\"a\":\"\u0000\"}"), null, EnumSet.of(Answer.ERR), "invalid_json");
      case 1 -> frame("not an object", pick(rnd, "[1,2,3]", "\"text\"", "42", "true", "null", "[]", "[{\"type\":\"ping\"}]"),
          null, EnumSet.of(Answer.ERR), "invalid_json");
      case 2 -> invalidUtf8(address, reply, badBody);
      case 3 -> frame("wrong type", "{\"type\":" + pick(rnd, "\"SEND\"", "\"sendd\"", "\"\"", "7", "null", "true", "[]", "{}",
          "\"s\\u0000end\"", "\"\\ud800\"") + ",\"address\":\"" + address + "\",\"replyAddress\":\"" + reply + "\",\"body\":" + badBody + "}",
          null, EnumSet.of(Answer.ERR), "unknown_type");
      case 4 -> frame("no type", "{\"address\":\"" + address + "\",\"replyAddress\":\"" + reply + "\",\"body\":{}}", null,
          EnumSet.of(Answer.ERR), "unknown_type");
      case 5 -> frame("headers not an object", "{\"type\":\"send\",\"address\":\"" + address + "\",\"replyAddress\":\"" + reply
          + "\",\"headers\":" + pick(rnd, "\"x\"", "5", "[]", "true", "[{\"h\":\"v\"}]") + ",\"body\":{}}", reply,
          EnumSet.of(Answer.ERR), "invalid_frame");
      case 6 -> frame("bad header value", "{\"type\":\"send\",\"address\":\"" + address + "\",\"replyAddress\":\"" + reply
          + "\",\"headers\":" + pick(rnd, "{\"h\":1}", "{\"h\":null}", "{\"h\":{}}", "{\"timeout\":\"5\"}", "{\"timeout\":0}",
              "{\"timeout\":-1}", "{\"timeout\":1e20}", "{\"timeout\":400000}", "{\"timeout\":1.5}", "{\"localOnly\":\"yes\"}",
              "{\"codecName\":\"string\"}") + ",\"body\":{}}", reply, EnumSet.of(Answer.ERR), "invalid_frame");
      case 7 -> frame("address missing or empty", "{\"type\":\"send\"" + pick(rnd, "", ",\"address\":\"\"", ",\"address\":null")
          + ",\"replyAddress\":\"" + reply + "\",\"body\":{}}", reply, EnumSet.of(Answer.ERR), "missing_address");
      case 8 -> frame("address not text", "{\"type\":\"send\",\"address\":" + pick(rnd, "5", "[\"" + address + "\"]", "{}", "true")
          + ",\"replyAddress\":\"" + reply + "\",\"body\":{}}", reply, EnumSet.of(Answer.ERR), "invalid_frame");
      case 9 -> frame("replyAddress not text", "{\"type\":\"send\",\"address\":\"" + address + "\",\"replyAddress\":"
          + pick(rnd, "12", "[]", "{}", "false") + ",\"body\":" + badBody + "}", null, EnumSet.of(Answer.ERR), "invalid_frame");
      case 10 -> frame("failureCode or message of the wrong type", "{\"type\":\"send\",\"address\":\"" + address
          + "\",\"replyAddress\":\"" + reply + "\"," + pick(rnd, "\"failureCode\":\"500\"", "\"failureCode\":1.5", "\"message\":5")
          + ",\"body\":{}}", reply, EnumSet.of(Answer.ERR), "invalid_frame");
      case 11 -> frame("send to a denied address", "{\"type\":\"send\",\"address\":" + FuzzValues.json(pick(rnd, DENIED), true)
          + ",\"replyAddress\":\"" + reply + "\",\"body\":{\"seq\":1,\"address\":\"trading.orders.place\",\"reason\":\"fuzz\"}}",
          reply, EnumSet.of(Answer.ERR), "access_denied");
      case 12 -> frame("publish, register or unregister where not permitted", "{\"type\":\"" + pick(rnd, "publish", "register", "unregister")
          + "\",\"address\":" + FuzzValues.json(pick(rnd, address, pick(rnd, DENIED_LISTEN)), true) + ",\"body\":" + badBody + "}", null,
          EnumSet.of(Answer.ERR), "access_denied");
      case 13 -> frame("unregister what was never registered", "{\"type\":\"unregister\",\"address\":\"trading.events.fuzz."
          + fresh("never") + "\"}", null, EnumSet.of(Answer.ERR), "unknown_address");
      case 14 -> frame("register and unregister a silent event address", rnd.nextBoolean()
          ? "{\"type\":\"register\",\"address\":\"trading.events.fuzz.silent\"}"
          : "{\"type\":\"unregister\",\"address\":\"trading.events.fuzz.silent\"}", null, EnumSet.of(Answer.NONE, Answer.ERR), "unknown_address");
      case 15 -> frame("one-way send of an invalid body", "{\"type\":\"send\",\"address\":\"" + pick(rnd, WRITES)
          + "\",\"body\":" + badBody + "}", null, EnumSet.of(Answer.NONE), null);
      default -> rnd.nextInt(4) == 0 ? oversize() : frame("permitted address nobody serves", "{\"type\":\"send\",\"address\":"
          + FuzzValues.json(pick(rnd, UNSERVED), true) + ",\"replyAddress\":\"" + reply + "\",\"body\":{}}", reply,
          EnumSet.of(Answer.NO_HANDLERS), null);
    };
  }

  private Case frame(String label, String json, String replyAddress, Set<Answer> allowed, String errMessage) {
    return new Case("(frame)", label, framed(json.getBytes(StandardCharsets.UTF_8)), replyAddress, allowed, null, null, Set.of(),
        errMessage == null ? Set.of() : Set.of(errMessage), false, null, null);
  }

  /** Bytes that are not UTF-8 (a lone 0xFF, a broken sequence), or a surrogate's own 3 bytes, inside a request. */
  private Case invalidUtf8(String address, String reply, String badBody) {
    byte[] head = ("{\"type\":\"send\",\"address\":\"" + address + "\",\"replyAddress\":\"" + reply + "\",\"body\":{\"quoteId\":\"q")
        .getBytes(StandardCharsets.UTF_8);
    byte[] middle = pick(rnd, new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc3, 0x28}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
        new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xe2, (byte) 0x82});
    byte[] tail = ("\",\"orderId\":\"\\u0000\",\"fillId\":7,\"asset\":[],\"symbol\":\"\"}}").getBytes(StandardCharsets.UTF_8);
    byte[] json = ByteBuffer.allocate(head.length + middle.length + tail.length).put(head).put(middle).put(tail).array();
    // the bridge cannot read the frame (invalid_json), or reads the surrogate's bytes as one and the handler refuses it
    // (a read that ignores those fields answers)
    Set<Answer> allowed = WRITES.contains(address) ? EnumSet.of(Answer.ERR, Answer.REFUSAL) : EnumSet.of(Answer.ERR, Answer.REFUSAL, Answer.REPLY);
    return new Case("(frame)", "invalid UTF-8", framed(json), reply, allowed, null, null, Set.of(),
        Set.of("invalid_json"), false, null, null);
  }

  /** A length prefix beyond bridge.maxFrameBytes, or below one byte: answered frame_too_large, the connection closed. */
  private Case oversize() {
    int length = pick(rnd, maxFrameBytes + 1, Integer.MAX_VALUE, 0, -1, -maxFrameBytes);
    byte[] bytes = ByteBuffer.allocate(4 + 64).putInt(length).put("{\"type\":\"send\",\"address\":\"trading.engine.info\"}".getBytes(StandardCharsets.UTF_8)).array();
    return new Case("(frame)", "length prefix " + length, bytes, null, EnumSet.of(Answer.ERR), null, null, Set.of(),
        Set.of("frame_too_large"), true, null, null);
  }

  static boolean isRefusal(String message) {
    return REFUSALS.contains(message);
  }
}
