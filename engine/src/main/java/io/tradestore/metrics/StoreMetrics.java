package io.tradestore.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tradestore.ErrorCode;
import io.tradestore.store.Store;
import io.tradestore.store.StoreWriter;
import io.tradestore.store.WalCheckpointer;
import io.tradestore.store.WalRecoveryReport;
import io.tradestore.store.migration.MigrationReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The store's own meters: the writer's queue, transactions (duration, commands per commit, failures), busy
 * retries, schema version and migrations, and file sizes.
 */
public final class StoreMetrics {
  private StoreMetrics() { }

  public static void bind(MeterRegistry registry, Store store, int schemaVersion) {
    StoreWriter writer = store.writer();
    Gauge.builder("tradestore.writer.queue.depth", writer, StoreWriter::queueDepth)
        .description("Commands waiting for or inside the writer's current transaction").register(registry);
    FunctionCounter.builder("tradestore.writer.commits", writer, StoreWriter::commitCount)
        .description("Transactions committed by the writer").register(registry);
    FunctionCounter.builder("tradestore.writer.busy.retries", writer, StoreWriter::busyRetryCount)
        .description("Times the writer found the write lock held elsewhere and retried").register(registry);
    Timer commitDuration = Timer.builder("tradestore.writer.commit.duration")
        .description("Committed transactions, from BEGIN (waiting for the write lock included) to the end of COMMIT")
        .serviceLevelObjectives(LatencyBuckets.SUB_MILLIS_TO_SECONDS).register(registry);
    DistributionSummary batchSize = DistributionSummary.builder("tradestore.writer.batch.size")
        .description("Commands carried by each committed transaction (group commit)")
        .serviceLevelObjectives(LatencyBuckets.BATCH_SIZES).register(registry);
    Counter failedBusy = failedTransactions(registry, "busy");
    Counter failedError = failedTransactions(registry, "error");
    writer.addTransactionObserver((commands, nanos, outcome) -> {
      switch (outcome) {
        case COMMITTED -> {
          commitDuration.record(nanos, TimeUnit.NANOSECONDS);
          batchSize.record(commands);
        }
        case BUSY -> failedBusy.increment();
        case FAILED -> failedError.increment();
        case REFUSED -> { } // a command's own refusal, counted by tradestore.commands
      }
    });
    for (ErrorCode code : ErrorCode.values()) {
      if (!code.isStorageFault()) {
        continue;
      }
      FunctionCounter.builder("tradestore.storage.faults", writer, w -> w.storageFaultCount(code)).tag("code", code.name())
          .description("Writes (transactions, or work between them) that failed for a storage reason, by the code their "
              + "commands were answered with").register(registry);
    }
    Gauge.builder("tradestore.schema.version", () -> schemaVersion)
        .description("Schema version the database was migrated to at startup").register(registry);
    Path db = store.path();
    Gauge.builder("tradestore.database.size", () -> size(db)).baseUnit("bytes")
        .description("Size of the SQLite database file").register(registry);
    Gauge.builder("tradestore.database.wal.size", () -> size(Path.of(db + "-wal"))).baseUnit("bytes")
        .description("Size of the SQLite write-ahead log").register(registry);
    WalCheckpointer checkpointer = store.checkpointer();
    if (checkpointer != null) {
      Timer checkpoints = Timer.builder("tradestore.wal.checkpoint.duration")
          .description("Background WAL checkpoints (every database.checkpointIntervalMs, 2 ms apart near the writer's log limit), "
              + "each copying the log into the database file")
          .serviceLevelObjectives(LatencyBuckets.SUB_MILLIS_TO_SECONDS).register(registry);
      checkpointer.observe(nanos -> checkpoints.record(nanos, TimeUnit.NANOSECONDS));
      Gauge.builder("tradestore.wal.uncopied.pages", checkpointer, WalCheckpointer::uncopiedPages)
          .description("Pages of the write-ahead log the last background checkpoint could not copy yet").register(registry);
      Gauge.builder("tradestore.wal.pages", checkpointer, WalCheckpointer::logPages)
          .description("Pages in the write-ahead log at the last background checkpoint; falls back to a few each time the "
              + "log restarts from its beginning").register(registry);
    }
  }

  private static Counter failedTransactions(MeterRegistry registry, String reason) {
    return Counter.builder("tradestore.writer.transactions.failed").tag("reason", reason)
        .description("Transactions rolled back for a database reason: busy (write lock held elsewhere) or error")
        .register(registry);
  }

  /**
   * Records the migrations a startup applied (none is recorded as none, so the meter exists from the start):
   * count and total time of {@code tradestore.migration.duration}.
   */
  public static void migrations(MeterRegistry registry, List<MigrationReport.Applied> applied) {
    Timer timer = Timer.builder("tradestore.migration.duration")
        .description("Schema migrations applied by this process at startup, and how long they took").register(registry);
    applied.forEach(a -> timer.record(Duration.ofNanos(a.durationMicros() * 1_000)));
  }

  /**
   * What the startup found SQLite's recovery would drop of the write-ahead log (0 and 0 when there was nothing to
   * recover): frames of the log's current generation past its last intact commit, and the commits among them that
   * clients may have been told succeeded ({@link WalRecoveryReport#acknowledgedDroppedCommits}).
   */
  public static void walRecovery(MeterRegistry registry, WalRecoveryReport report, boolean commitsSynced) {
    long acknowledged = report.acknowledgedDroppedCommits(commitsSynced);
    Gauge.builder("tradestore.wal.recovery.dropped.frames", report::droppedFrames)
        .description("Frames of the write-ahead log's current generation that SQLite's recovery at this startup "
            + "dropped: an uncommitted tail, or frames after a damaged one").register(registry);
    Gauge.builder("tradestore.wal.recovery.dropped.commits", () -> acknowledged)
        .description("Commits among the frames dropped at this startup that clients may have been told succeeded: "
            + "lost; see the startup log").register(registry);
  }

  private static double size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return Double.NaN;
    }
  }
}
