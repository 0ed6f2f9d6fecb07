package io.tradestore.store.migration;

/** One row of {@code schema_migrations}. */
public record HistoryRow(int version, String name, String description, String appliedAt, String appliedBy,
                         Long durationMs, String checksum, String status) {
  public static final String SUCCESS = "SUCCESS";
  public static final String BASELINE = "BASELINE";

  public boolean isBaseline() {
    return BASELINE.equals(status);
  }
}
