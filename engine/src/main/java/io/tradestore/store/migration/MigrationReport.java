package io.tradestore.store.migration;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a run did.
 *
 * @param fromVersion the version before the run
 * @param toVersion   the version after it (lower than {@code fromVersion} after {@code down})
 * @param applied     the files run, in the order they ran (up parts, or down parts for {@code down})
 * @param backup      the copy taken before the first change, or null when none was taken
 */
public record MigrationReport(int fromVersion, int toVersion, List<Applied> applied, Path backup) {
  /**
   * @param durationMicros how long its statements ran, on the monotonic clock: most files take well under a
   *                       millisecond, which whole milliseconds showed as 0
   */
  public record Applied(int version, String name, long durationMicros) {
    public double durationMs() {
      return durationMicros / 1000.0;
    }
  }

  /** Milliseconds as the commands and logs show them, with the microseconds: {@code 0.412}. */
  public static String millis(double ms) {
    return String.format(Locale.ROOT, "%.3f", ms);
  }

  public MigrationReport {
    applied = List.copyOf(applied);
  }
}
