package io.tradestore.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tradestore.store.Store;
import io.tradestore.store.StoreWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The store's own meters: the writer's queue and commits, schema version, and file sizes. */
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
    Gauge.builder("tradestore.schema.version", () -> schemaVersion)
        .description("Schema version the database was migrated to at startup").register(registry);
    Path db = store.path();
    Gauge.builder("tradestore.database.size", () -> size(db)).baseUnit("bytes")
        .description("Size of the SQLite database file").register(registry);
    Gauge.builder("tradestore.database.wal.size", () -> size(Path.of(db + "-wal"))).baseUnit("bytes")
        .description("Size of the SQLite write-ahead log").register(registry);
  }

  private static double size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return Double.NaN;
    }
  }
}
