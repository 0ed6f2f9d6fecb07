package io.tradestore.store.migration;

import java.nio.file.Path;
import java.util.List;

/**
 * What a run did.
 *
 * @param fromVersion the version before the run
 * @param toVersion   the version after it (lower than {@code fromVersion} after {@code down})
 * @param applied     the files run, in the order they ran (up parts, or down parts for {@code down})
 * @param backup      the copy taken before the first change, or null when none was taken
 */
public record MigrationReport(int fromVersion, int toVersion, List<Applied> applied, Path backup) {
  public record Applied(int version, String name, long durationMs) { }

  public MigrationReport {
    applied = List.copyOf(applied);
  }
}
