package io.tradestore;

import java.time.Instant;
import java.time.LocalDate;

/** Times are epoch milliseconds in code and storage, ISO-8601 UTC text in replies and events. */
public final class Times {
  private static final long DAY_MILLIS = 86_400_000L;
  /** 10000-01-01T00:00:00Z: from here {@link Instant#toString} writes a '+' and more digits. */
  private static final long FAST_LIMIT = 253_402_300_800_000L;

  /** The date part of the last day formatted: times of one day share it. */
  private record DayPrefix(long day, String text) { }

  private static volatile DayPrefix lastDay = new DayPrefix(0, "1970-01-01T");

  private Times() { }

  /**
   * Exactly {@link Instant#toString} of the instant ({@code 2026-11-23T12:05:55.215Z}, the fraction left out when
   * it is zero), written by hand for the years 1970 to 9999: every reply and event carries several times, and the
   * formatter's work was a tenth of the allocations of the hot queries (docs/performance.md).
   */
  public static String iso(Long epochMillis) {
    if (epochMillis == null) {
      return null;
    }
    long millis = epochMillis;
    if (millis < 0 || millis >= FAST_LIMIT) {
      return Instant.ofEpochMilli(millis).toString();
    }
    long day = millis / DAY_MILLIS;
    int ofDay = (int) (millis % DAY_MILLIS);
    DayPrefix prefix = lastDay;
    if (prefix.day() != day) {
      prefix = new DayPrefix(day, LocalDate.ofEpochDay(day) + "T");
      lastDay = prefix;
    }
    int ms = ofDay % 1000;
    int seconds = ofDay / 1000;
    char[] time = new char[ms == 0 ? 9 : 13];
    two(time, 0, seconds / 3600);
    time[2] = ':';
    two(time, 3, seconds / 60 % 60);
    time[5] = ':';
    two(time, 6, seconds % 60);
    if (ms != 0) {
      time[8] = '.';
      time[9] = (char) ('0' + ms / 100);
      time[10] = (char) ('0' + ms / 10 % 10);
      time[11] = (char) ('0' + ms % 10);
    }
    time[time.length - 1] = 'Z';
    return prefix.text().concat(new String(time));
  }

  private static void two(char[] into, int at, int value) {
    into[at] = (char) ('0' + value / 10);
    into[at + 1] = (char) ('0' + value % 10);
  }
}
