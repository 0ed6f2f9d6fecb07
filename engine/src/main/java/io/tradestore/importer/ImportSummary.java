package io.tradestore.importer;

import java.nio.file.Path;
import java.util.List;

/** What an import did, file by file. */
public record ImportSummary(List<FileSummary> files, long elapsedNanos, boolean stoppedByStrict) {
  /** One file's tally: rows read, new rows, duplicates (nothing written), rejected (listed in {@code rejects}). */
  public record FileSummary(Path file, String kind, long rows, long imported, long duplicates, long rejected,
                            Path rejects) { }

  public long rejected() {
    return files.stream().mapToLong(FileSummary::rejected).sum();
  }

  public long rows() {
    return files.stream().mapToLong(FileSummary::rows).sum();
  }
}
