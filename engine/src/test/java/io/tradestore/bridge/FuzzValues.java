package io.tradestore.bridge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The values the fuzz test puts into a request field, each with what the engine must make of it by docs/api.md:
 * {@link Verdict#INVALID} when the field's rules refuse it whatever else the request says (a 400), and
 * {@link Verdict#PLAUSIBLE} when it may be accepted. A value is a Java object written by {@link #json} as JSON:
 * strings, numbers, booleans, maps, lists, {@code null}, and {@link Raw} text for what a Java value cannot say
 * (1e400, -0, a 200-digit number, nesting deeper than an encoder allows, a {@code NaN} token).
 */
final class FuzzValues {
  private FuzzValues() { }

  enum Verdict { INVALID, PLAUSIBLE }

  /** JSON text written as it is. {@code breaksFrame}: the frame is not valid JSON then (the bridge answers invalid_json). */
  record Raw(String json, boolean breaksFrame) {
    Raw(String json) {
      this(json, false);
    }

    @Override
    public String toString() {
      return json.length() > 40 ? json.substring(0, 40) + "...(" + json.length() + " chars)" : json;
    }
  }

  /** The field left out of the request. */
  static final Object ABSENT = new Object() {
    @Override
    public String toString() {
      return "<absent>";
    }
  };

  /** What a field is; each kind has its own invalid and plausible values. */
  enum Kind { ID, POSITIVE, NON_NEGATIVE, DECIMAL, TIMESTAMP, FUTURE_TIMESTAMP, ENUM, NOTE, BOOL, LIMIT, CURSOR, FILL_CURSOR }

  /**
   * A request field: {@code accepted} and {@code refused} are an enum's values the handler takes and the ones it
   * names but refuses (orders.update refuses FILLED); {@code maxLimit} is a limit's upper bound. A field's rules
   * may hold only as long as another field is unchanged ({@code dependsOn}: a LIMIT order's price, a REJECTED
   * status's reason), or while its partner is present ({@code partner}: fee and feeAsset come both or neither).
   */
  record Field(String name, Kind kind, boolean required, List<String> accepted, List<String> refused, int maxLimit,
               String dependsOn, String partner) {
    static Field of(String name, Kind kind, boolean required) {
      return new Field(name, kind, required, List.of(), List.of(), 1000, null, null);
    }

    static Field enumOf(String name, boolean required, List<String> accepted, List<String> refused) {
      return new Field(name, Kind.ENUM, required, accepted, refused, 0, null, null);
    }

    static Field limit(int max) {
      return new Field("limit", Kind.LIMIT, false, List.of(), List.of(), max, null, null);
    }

    Field dependingOn(String other) {
      return new Field(name, kind, required, accepted, refused, maxLimit, other, partner);
    }

    Field pairedWith(String other) {
      return new Field(name, kind, required, accepted, refused, maxLimit, dependsOn, other);
    }
  }

  /** A value for a field and the engine's duty towards it. */
  record Mutation(String label, Object value, Verdict verdict) {
    boolean breaksFrame() {
      return value instanceof Raw raw && raw.breaksFrame();
    }

    boolean removes() {
      return value == ABSENT || value == null;
    }

    Mutation plausible() {
      return new Mutation(label, value, Verdict.PLAUSIBLE);
    }
  }

  static final String HUGE = "x".repeat(10_000);
  /** A string that nearly fills a frame of bridge.maxFrameBytes (1 MiB by default). */
  static final String NEARLY_A_FRAME = "y".repeat(1_000_000);

  private static final List<String> LONE_SURROGATES = List.of("\ud800", "a\udfffb", "\udc00\ud800", "x\ud83d", "\ud83dx");
  private static final List<String> ID_CONTROLS = List.of("a\u0000b", "\u0000", "ab\u0000", "\u001b[2J", "a\nb", "a\rb",
      "\u007f", "x\u0085", "\u009f", "\tab");
  private static final List<String> ODD_BUT_VALID_IDS = List.of(" padded ", "\ud83d\ude80-id", "\u0438\u0434-\u043a\u0438\u0440",
      "\u202eRTL", "zero\u200bwidth", "\ufeffbom", "'; DROP TABLE orders; --", "${jndi:ldap://x/a}", "%s%n%x",
      "../../etc/passwd", "\u3000ideographic", "x".repeat(128), "line\u2028sep", "\u00c0\u00e9\u00ee\u00f5\u00fc");

  static <T> T pick(Random rnd, List<T> values) {
    return values.get(rnd.nextInt(values.size()));
  }

  @SafeVarargs
  static <T> T pick(Random rnd, T... values) {
    return values[rnd.nextInt(values.length)];
  }

  /** Nesting of {@code depth} arrays or objects, written as text: a JSON encoder refuses more than 1,000 levels. */
  static Raw nested(int depth, boolean objects) {
    StringBuilder json = new StringBuilder(depth * 6 + 2);
    for (int i = 0; i < depth; i++) {
      json.append(objects ? "{\"a\":" : "[");
    }
    json.append('1');
    for (int i = 0; i < depth; i++) {
      json.append(objects ? '}' : ']');
    }
    // the frame and the body are two more levels; Jackson's default limit is 1,000
    return new Raw(json.toString(), depth + 2 > 1000);
  }

  /** A value of the wrong JSON type for a text or number field, or one that no field takes. */
  private static Mutation wrongType(Random rnd, boolean numberIsWrong) {
    return switch (rnd.nextInt(numberIsWrong ? 9 : 8)) {
      case 0 -> new Mutation("true", true, Verdict.INVALID);
      case 1 -> new Mutation("empty array", new ArrayList<>(), Verdict.INVALID);
      case 2 -> new Mutation("array", new ArrayList<>(List.of(1, "a", false)), Verdict.INVALID);
      case 3 -> new Mutation("empty object", new LinkedHashMap<>(), Verdict.INVALID);
      case 4 -> new Mutation("object", new LinkedHashMap<>(Map.of("value", "1")), Verdict.INVALID);
      case 5 -> new Mutation("nested 50", nested(50, rnd.nextBoolean()), Verdict.INVALID);
      case 6 -> new Mutation("nested 990", nested(990, rnd.nextBoolean()), Verdict.INVALID);
      case 7 -> new Mutation("NaN token", new Raw(pick(rnd, "NaN", "Infinity", "-Infinity", "undefined"), true), Verdict.INVALID);
      default -> new Mutation("number", pick(rnd, 42, 0, -1, Long.MAX_VALUE), Verdict.INVALID);
    };
  }

  private static Mutation missing(Random rnd, Field field) {
    Verdict verdict = field.required() ? Verdict.INVALID : Verdict.PLAUSIBLE;
    return rnd.nextBoolean() ? new Mutation("absent", ABSENT, verdict) : new Mutation("null", null, verdict);
  }

  /** One value for {@code field}: invalid ones when {@code invalid}, otherwise any. */
  static Mutation mutation(Random rnd, Field field, boolean invalid) {
    for (int attempt = 0; attempt < 1000; attempt++) {
      Mutation m = anyMutation(rnd, field);
      if (!invalid || m.verdict() == Verdict.INVALID) {
        return m;
      }
    }
    throw new IllegalStateException("no invalid value for " + field);
  }

  private static Mutation anyMutation(Random rnd, Field field) {
    if (rnd.nextInt(8) == 0) {
      return missing(rnd, field);
    }
    return switch (field.kind()) {
      case ID -> id(rnd);
      case POSITIVE, NON_NEGATIVE, DECIMAL -> decimal(rnd, field.kind());
      case TIMESTAMP, FUTURE_TIMESTAMP -> timestamp(rnd, field.kind() == Kind.FUTURE_TIMESTAMP);
      case ENUM -> enumValue(rnd, field);
      case NOTE -> note(rnd, field.required());
      case BOOL -> bool(rnd);
      case LIMIT -> limit(rnd, field.maxLimit());
      case CURSOR -> cursor(rnd);
      case FILL_CURSOR -> fillCursor(rnd);
    };
  }

  private static Mutation id(Random rnd) {
    return switch (rnd.nextInt(10)) {
      case 0 -> wrongType(rnd, true);
      case 1 -> new Mutation("blank", pick(rnd, "", "   ", " "), Verdict.INVALID);
      case 2 -> new Mutation("10,000 chars", HUGE, Verdict.INVALID);
      case 3 -> new Mutation("129 chars", "z".repeat(129), Verdict.INVALID);
      case 4, 5 -> new Mutation("lone surrogate", pick(rnd, LONE_SURROGATES), Verdict.INVALID);
      case 6 -> new Mutation("control character", pick(rnd, ID_CONTROLS), Verdict.INVALID);
      case 7 -> new Mutation("nearly a frame", rnd.nextInt(20) == 0 ? NEARLY_A_FRAME : HUGE + HUGE, Verdict.INVALID);
      default -> new Mutation("odd but valid id", pick(rnd, ODD_BUT_VALID_IDS), Verdict.PLAUSIBLE);
    };
  }

  private static final List<String> NOT_DECIMALS = List.of("NaN", "-NaN", "Infinity", "-Infinity", "inf", "1e999999",
      "1e400", "1e-400", "1E37", "1e2147483648", "1e-2147483649", "", "  ", "abc", "1.2.3", "0x1F", "1,5", "1_0", "12abc",
      "1e", ".", "-", "+", "--1", "1 2", "\u0661\u0662.\u0663x", "1\ud800", "1\u00005", "\u0000",
      "0." + "0".repeat(36) + "1", "1" + "0".repeat(36), "1".repeat(200), "0." + "1".repeat(200));

  private static Mutation decimal(Random rnd, Kind kind) {
    boolean positive = kind == Kind.POSITIVE;
    boolean nonNegative = kind == Kind.NON_NEGATIVE;
    Verdict zero = positive ? Verdict.INVALID : Verdict.PLAUSIBLE;
    Verdict negative = positive || nonNegative ? Verdict.INVALID : Verdict.PLAUSIBLE;
    return switch (rnd.nextInt(12)) {
      case 0 -> wrongType(rnd, false);
      case 1, 2 -> new Mutation("not a decimal", pick(rnd, NOT_DECIMALS), Verdict.INVALID);
      case 3 -> new Mutation("raw out of range", new Raw(pick(rnd, "1e400", "-1e400", "1e999999", "1" + "0".repeat(41),
          "-" + "9".repeat(60))), Verdict.INVALID);
      case 4 -> new Mutation("1001-digit number", new Raw("1".repeat(1001), true), Verdict.INVALID);
      case 5 -> new Mutation("zero", pick(rnd, "0", "-0", "0.000", "+0", "0e10"), zero);
      case 6 -> new Mutation("raw zero", new Raw(pick(rnd, "0", "-0", "-0.0", "0e5", "1e-400")), zero); // 1e-400 is a double: 0
      case 7 -> new Mutation("negative", pick(rnd, "-1", "-0.5", "-" + "9".repeat(36), "-1e-36"), negative);
      case 8 -> new Mutation("raw negative", new Raw(pick(rnd, "-3", "-2.5e2", "-9223372036854775808")), negative);
      case 9 -> new Mutation("10,000 chars", HUGE, Verdict.INVALID);
      case 10 -> new Mutation("raw plausible number", new Raw(pick(rnd, "12.5", "1.5e3", "0." + "1".repeat(200),
          "123456789012345678901234567890", "9223372036854775807", "1E35")), Verdict.PLAUSIBLE);
      default -> new Mutation("plausible decimal", pick(rnd, "1", "0.1", " 12.5 ", "+5", "1e35", "1E-36",
          "0." + "0".repeat(35) + "1", "9".repeat(36), "9".repeat(30) + "." + "9".repeat(33), "\u0661\u0662",
          "1\u0000", "\u00072.5\u001f"), // text is trimmed as String.trim does: control characters at the ends go too
          Verdict.PLAUSIBLE);
    };
  }

  private static Mutation timestamp(Random rnd, boolean future) {
    Verdict past = future ? Verdict.INVALID : Verdict.PLAUSIBLE;
    return switch (rnd.nextInt(10)) {
      case 0 -> wrongType(rnd, false);
      case 1, 2 -> new Mutation("not a timestamp", pick(rnd, "yesterday", "", "  ", "2026-13-01T00:00:00Z",
          "2026-02-30T00:00:00Z", "2026-11-23", "2026-11-23T10:15:30", "10:15:30Z", "2026-11-23T25:00:00Z",
          "2026-11-23T10:15:30Z\ud800", "\udc002026-11-23T10:15:30Z", HUGE, "1790000000000", "NaN"), Verdict.INVALID);
      // beyond what epoch milliseconds hold (about 292 million years either way) though java.time parses them
      case 3 -> new Mutation("beyond epoch millis", pick(rnd, "+1000000000-01-01T00:00:00Z", "-1000000000-01-01T00:00:00Z",
          "+292278995-01-01T00:00:00Z", "-292275056-01-01T00:00:00Z", "+999999999-12-31T23:59:59.999Z"), Verdict.INVALID);
      case 4 -> new Mutation("raw not epoch millis", new Raw(pick(rnd, "-1", "1.5", "1e30", "1790000000000.5",
          "123456789012345678901234567890", "-9223372036854775808", "9223372036854775808")), Verdict.INVALID);
      case 5 -> new Mutation("past", pick(rnd, "2000-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59Z",
          "0000-01-01T00:00:00Z", "-200000-01-01T00:00:00Z"), past);
      case 6 -> new Mutation("raw past", new Raw(pick(rnd, "0", "1000", "1577836800000")), past);
      case 7 -> new Mutation("far future", pick(rnd, "9999-12-31T23:59:59.999Z", "+200000-01-01T00:00:00Z",
          "+292278994-01-01T00:00:00Z", "3000-01-01T00:00:00.123456789Z", " 2999-01-01T00:00:00Z "), Verdict.PLAUSIBLE);
      case 8 -> new Mutation("raw far future", new Raw(pick(rnd, "9223372036854775807", "253402300800000",
          "32503680000000")), Verdict.PLAUSIBLE);
      default -> new Mutation("offset", pick(rnd, "2999-11-23T10:15:30+01:00", "2999-11-23T10:15:30-00:00"), Verdict.PLAUSIBLE);
    };
  }

  private static Mutation enumValue(Random rnd, Field field) {
    String first = field.accepted().get(0);
    return switch (rnd.nextInt(8)) {
      case 0 -> wrongType(rnd, true);
      case 1 -> new Mutation("unknown value", pick(rnd, "", " ", "HOLD", first + "X", first + "\u0000x", "\ud800",
          "\uff22\uff35\uff39", HUGE, "null"), Verdict.INVALID);
      case 2 -> field.refused().isEmpty() ? new Mutation("unknown value", "UNKNOWN", Verdict.INVALID)
          : new Mutation("refused value", pick(rnd, field.refused()), Verdict.INVALID);
      case 3 -> new Mutation("lower case", pick(rnd, field.accepted()).toLowerCase(java.util.Locale.ROOT), Verdict.PLAUSIBLE);
      case 4 -> new Mutation("padded", " " + pick(rnd, field.accepted()) + " ", Verdict.PLAUSIBLE);
      default -> new Mutation("another value", pick(rnd, field.accepted()), Verdict.PLAUSIBLE);
    };
  }

  private static Mutation note(Random rnd, boolean required) {
    Verdict blank = required ? Verdict.INVALID : Verdict.PLAUSIBLE;
    return switch (rnd.nextInt(8)) {
      case 0 -> wrongType(rnd, true);
      case 1 -> new Mutation("1001 chars", "n".repeat(pick(rnd, 1001, 10_000)), Verdict.INVALID);
      case 2 -> new Mutation("lone surrogate", pick(rnd, LONE_SURROGATES), Verdict.INVALID);
      case 3 -> new Mutation("control character", pick(rnd, "no\u0000balance", "\u001b[31mred", "bell\u0007", "\u007f"), Verdict.INVALID);
      case 4 -> new Mutation("blank", pick(rnd, "", "  ", "\n\t"), blank);
      default -> new Mutation("free text", pick(rnd, "venue said:\n\tno\r\n", "n".repeat(1000), "\ud83d\ude00 rejected",
          "'; DROP TABLE orders; --"), Verdict.PLAUSIBLE);
    };
  }

  private static Mutation bool(Random rnd) {
    return switch (rnd.nextInt(3)) {
      case 0 -> new Mutation("not a boolean", pick(rnd, "true", "false", 1, 0, "yes", new ArrayList<>(), new LinkedHashMap<>()),
          Verdict.INVALID);
      case 1 -> new Mutation("NaN token", new Raw("NaN", true), Verdict.INVALID);
      default -> new Mutation("boolean", rnd.nextBoolean(), Verdict.PLAUSIBLE);
    };
  }

  private static Mutation limit(Random rnd, int max) {
    return switch (rnd.nextInt(5)) {
      case 0 -> wrongType(rnd, false);
      case 1 -> new Mutation("out of range", pick(rnd, 0, -1, max + 1, Integer.MAX_VALUE, Long.MIN_VALUE), Verdict.INVALID);
      case 2 -> new Mutation("raw not a whole number", new Raw(pick(rnd, "1.5", "1e3", "-0", "100.0",
          "123456789012345678901234567890", "9223372036854775807")), Verdict.INVALID);
      case 3 -> new Mutation("text", pick(rnd, "10", "", "ten"), Verdict.INVALID);
      default -> new Mutation("in range", pick(rnd, 1, max, 50), Verdict.PLAUSIBLE);
    };
  }

  private static Mutation cursor(Random rnd) {
    return switch (rnd.nextInt(4)) {
      case 0 -> wrongType(rnd, true);
      case 1, 2 -> new Mutation("not a cursor", pick(rnd, "0", "-5", "abc", "", " 5", "1e3", "9223372036854775808",
          "5\ud800", "1:2", HUGE), Verdict.INVALID);
      default -> new Mutation("a cursor", pick(rnd, "1", "42", "9223372036854775807"), Verdict.PLAUSIBLE);
    };
  }

  private static Mutation fillCursor(Random rnd) {
    return switch (rnd.nextInt(4)) {
      case 0 -> wrongType(rnd, true);
      case 1, 2 -> new Mutation("not a cursor", pick(rnd, "abc", "1", "1:", ":1", "a:b", "", "1:2\ud800", "1:2\u0000",
          "99999999999999999999:1", HUGE), Verdict.INVALID);
      default -> new Mutation("a cursor", pick(rnd, "0:0", "1:2", "9223372036854775807:1", "-1:-1", "1:2:3"), Verdict.PLAUSIBLE);
    };
  }

  /** A field no address knows, which every handler must ignore. */
  static Mutation unknownField(Random rnd) {
    Object value = switch (rnd.nextInt(7)) {
      case 0 -> nested(pick(rnd, 10, 500, 990), rnd.nextBoolean());
      case 1 -> HUGE;
      case 2 -> pick(rnd, LONE_SURROGATES);
      case 3 -> new Raw(pick(rnd, "1e400", "-0", "1" + "0".repeat(300)));
      case 4 -> null;
      case 5 -> new ArrayList<>(Collections.nCopies(1000, 7));
      default -> "extra";
    };
    return new Mutation("unknown field", value, Verdict.PLAUSIBLE);
  }

  static final List<String> UNKNOWN_FIELD_NAMES = List.of("extra", "__proto__", "constructor", "", " ", "\ud800",
      "x".repeat(1000), "order_id", "ORDERID", "quoteId ", "$where", "a.b", "\u0000");

  /**
   * JSON text of a value. Lone surrogates are always written as {@code \\u} escapes (UTF-8 has no bytes for
   * them: a client's encoder would send {@code ?}); other non-ASCII characters as escapes when {@code ascii},
   * else as their UTF-8 bytes, so both ways of writing text reach the engine.
   */
  static String json(Object value, boolean ascii) {
    StringBuilder out = new StringBuilder();
    write(out, value, ascii);
    return out.toString();
  }

  private static void write(StringBuilder out, Object value, boolean ascii) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Raw raw) {
      out.append(raw.json());
    } else if (value instanceof String s) {
      quote(out, s, ascii);
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (entry.getValue() == ABSENT) {
          continue;
        }
        if (!first) {
          out.append(',');
        }
        first = false;
        quote(out, (String) entry.getKey(), ascii);
        out.append(':');
        write(out, entry.getValue(), ascii);
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(out, list.get(i), ascii);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass());
    }
  }

  private static void quote(StringBuilder out, String s, boolean ascii) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || (ascii && c >= 0x7f)) {
        escape(out, c);
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        escape(out, c);
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  private static void escape(StringBuilder out, char c) {
    out.append(String.format("\\u%04x", (int) c));
  }
}
