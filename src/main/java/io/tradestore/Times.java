package io.tradestore;

import java.time.Instant;

/** Times are epoch milliseconds in code and storage, ISO-8601 UTC text in replies and events. */
public final class Times {
  private Times() { }

  public static String iso(Long epochMillis) {
    return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
  }
}
