package io.tradestore.store.migration;

/**
 * One row of {@code schema_migrations}.
 *
 * @param durationMs with the microseconds as fraction (whole milliseconds in rows written before issue 22); null for
 *                   a BASELINE row
 */
public record HistoryRow(int version, String name, String description, String appliedAt, String appliedBy,
                         Double durationMs, String checksum, String status) {
  public static final String SUCCESS = "SUCCESS";
  public static final String BASELINE = "BASELINE";

  public boolean isBaseline() {
    return BASELINE.equals(status);
  }
}
