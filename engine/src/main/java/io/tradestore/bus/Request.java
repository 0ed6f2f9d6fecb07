package io.tradestore.bus;

import io.tradestore.CommandFailure;
import io.tradestore.domain.Decimals;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads a command's JSON body into typed values, answering bad input with a 400 that names the field. Decimals
 * may be JSON strings (preferred) or numbers; timestamps ISO-8601 text or epoch milliseconds. Every string read
 * must be valid Unicode, and ids and notes have rules of their own ({@link ClientText}).
 */
public final class Request {
  private static final int MAX_ID_LENGTH = 128;

  private final JsonObject body;

  private Request(JsonObject body) {
    this.body = body;
  }

  public static Request of(Object body) {
    if (body instanceof JsonObject json) {
      return new Request(json);
    }
    if (body == null) {
      return new Request(new JsonObject());
    }
    throw CommandFailure.invalid(null, "the request body must be a JSON object");
  }

  /** The raw JSON value of a field, for the few shapes the typed readers do not cover. */
  public Object raw(String field) {
    return body.getValue(field);
  }

  public boolean has(String field) {
    return body.getValue(field) != null;
  }

  /**
   * An identifier or name: non-blank text of at most 128 characters, without control characters, surrounding
   * spaces trimmed.
   */
  public String text(String field) {
    String value = optionalText(field);
    if (value == null) {
      throw CommandFailure.invalid(field, field + " is required");
    }
    return value;
  }

  public String optionalText(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw CommandFailure.invalid(field, field + " must be a string");
    }
    ClientText.requireId(field, s); // before trimming, which would quietly drop a control character at either end
    String trimmed = s.trim();
    if (trimmed.isEmpty()) {
      throw CommandFailure.invalid(field, field + " must not be blank");
    }
    if (trimmed.length() > MAX_ID_LENGTH) {
      throw CommandFailure.invalid(field, field + " must be at most " + MAX_ID_LENGTH + " characters");
    }
    return trimmed;
  }

  public String textOr(String field, String fallback) {
    String value = optionalText(field);
    return value == null ? fallback : value;
  }

  /** Free text such as a rejection reason: any length up to 1000 characters, line breaks and tabs allowed. */
  public String optionalNote(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw CommandFailure.invalid(field, field + " must be a string");
    }
    if (s.length() > 1000) {
      throw CommandFailure.invalid(field, field + " must be at most 1000 characters");
    }
    ClientText.requireNote(field, s);
    return s;
  }

  public boolean bool(String field) {
    Object value = body.getValue(field);
    if (value instanceof Boolean b) {
      return b;
    }
    throw CommandFailure.invalid(field, field + " must be true or false");
  }

  public BigDecimal positiveDecimal(String field) {
    BigDecimal value = decimal(field);
    if (value.signum() <= 0) {
      throw CommandFailure.invalid(field, field + " must be positive, got " + Decimals.format(value));
    }
    return value;
  }

  public BigDecimal optionalPositiveDecimal(String field) {
    return has(field) ? positiveDecimal(field) : null;
  }

  public BigDecimal nonNegativeDecimal(String field) {
    BigDecimal value = decimal(field);
    if (value.signum() < 0) {
      throw CommandFailure.invalid(field, field + " must not be negative, got " + Decimals.format(value));
    }
    return value;
  }

  public BigDecimal decimal(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      throw CommandFailure.invalid(field, field + " is required");
    }
    if (value instanceof String s) {
      ClientText.requireUnicode(field, s);
    }
    try {
      return Decimals.canonical(Decimals.parse(value));
    } catch (NumberFormatException e) {
      throw CommandFailure.invalid(field, field + " must be a decimal number (a string such as \"12.5\" or a JSON number) with at most "
          + Decimals.MAX_INPUT_DIGITS + " digits before and after the point");
    }
  }

  public BigDecimal optionalDecimal(String field) {
    return has(field) ? decimal(field) : null;
  }

  public <E extends Enum<E>> E enumValue(String field, Class<E> type) {
    E value = optionalEnum(field, type);
    if (value == null) {
      throw CommandFailure.invalid(field, field + " is required");
    }
    return value;
  }

  public <E extends Enum<E>> E optionalEnum(String field, Class<E> type) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      ClientText.requireUnicode(field, s);
      for (E constant : type.getEnumConstants()) {
        if (constant.name().equals(s.trim().toUpperCase(Locale.ROOT))) {
          return constant;
        }
      }
    }
    throw CommandFailure.invalid(field, field + " must be one of " + Arrays.toString(type.getEnumConstants()));
  }

  /**
   * Epoch milliseconds from ISO-8601 text ({@code 2026-11-23T10:15:30.123Z}) or a JSON integer of epoch ms. Text
   * may name an instant up to the year 1,000,000,000 either way, far beyond what a long of milliseconds holds
   * (about 292 million years from 1970): such a time is refused like any other that cannot be read.
   */
  public Long optionalTimestamp(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (value instanceof Integer || value instanceof Long) {
      long ms = ((Number) value).longValue();
      if (ms < 0) {
        throw CommandFailure.invalid(field, field + " must not be before 1970");
      }
      return ms;
    }
    if (value instanceof String s) {
      ClientText.requireUnicode(field, s);
      try {
        return Instant.parse(s.trim()).toEpochMilli();
      } catch (DateTimeParseException e) {
        // fall through to the answer below
      } catch (ArithmeticException e) {
        throw CommandFailure.invalid(field, field + " is out of range: a timestamp must lie within about 292 million years of 1970");
      }
    }
    throw CommandFailure.invalid(field, field + " must be an ISO-8601 UTC timestamp (2026-11-23T10:15:30Z) or epoch milliseconds");
  }

  public int limit(String field, int fallback, int max) {
    Object value = body.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Integer || value instanceof Long) {
      long n = ((Number) value).longValue();
      if (n >= 1 && n <= max) {
        return (int) n;
      }
    }
    throw CommandFailure.invalid(field, field + " must be a whole number from 1 to " + max);
  }

  /** A paging cursor handed out by a previous list reply (opaque to clients; a row id here). */
  public Long optionalCursor(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      ClientText.requireUnicode(field, s);
      try {
        long cursor = Long.parseLong(s);
        if (cursor > 0) {
          return cursor;
        }
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw CommandFailure.invalid(field, field + " must be a cursor returned by a previous reply");
  }

  /**
   * A cursor of a list ordered by a time, then by row id ({@code "<epoch ms>:<row id>"}), as a previous reply handed
   * it out; null when absent.
   */
  public TimeCursor optionalTimeCursor(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      ClientText.requireUnicode(field, s);
      int colon = s.indexOf(':');
      try {
        if (colon > 0) {
          return new TimeCursor(Long.parseLong(s.substring(0, colon)), Long.parseLong(s.substring(colon + 1)));
        }
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw CommandFailure.invalid(field, field + " must be a cursor returned by a previous reply");
  }

  /** Where a page ordered by {@code at}, then {@code id}, ended. */
  public record TimeCursor(long at, long id) {
    public String text() {
      return at + ":" + id;
    }
  }
}
