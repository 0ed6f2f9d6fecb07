package io.tradestore.store.migration;

/**
 * One file or applied version, as {@code migrate status} shows it.
 *
 * @param checksum   the file's checksum; the stored one for a MISSING version
 * @param appliedAt  ISO-8601 UTC, null when not applied
 * @param durationMs null when not applied or adopted as a baseline
 */
public record MigrationStatus(int version, String name, State state, String checksum, String appliedAt, Double durationMs) {
  public enum State {
    /** Applied by this runner, file unchanged. */
    APPLIED,
    /** Adopted from a legacy database without running, file unchanged. */
    BASELINE,
    /** Not applied yet. */
    PENDING,
    /** Applied, but the file differs from what was applied. */
    CHANGED,
    /** Applied, but there is no file for it. */
    MISSING
  }
}
