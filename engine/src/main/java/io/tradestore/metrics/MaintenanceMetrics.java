package io.tradestore.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Instant;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hooks the housekeeping jobs report to: rows removed by retention, per table, and the time of the last
 * successful maintenance run and backup, as Unix timestamps (alert on {@code time() - x}, which survives restarts
 * of Prometheus, unlike a "seconds since" gauge).
 *
 * <p>One instance per registry ({@link #of(MeterRegistry)}). A timestamp gauge reads 0 until the first success
 * in this process: a job that knows its last success from before a restart (a backup file's time, a row in the
 * database) should report it at startup so that 0 really means "never".
 */
public final class MaintenanceMetrics {
  private static final Map<MeterRegistry, MaintenanceMetrics> BY_REGISTRY = Collections.synchronizedMap(new WeakHashMap<>());

  /** Weak: the instance is the value of a weak map keyed by the registry, which it must not keep alive. */
  private final WeakReference<MeterRegistry> registry;
  private final ConcurrentHashMap<String, Counter> rowsRemoved = new ConcurrentHashMap<>();
  private final AtomicLong lastMaintenanceMillis = new AtomicLong();
  private final AtomicLong lastBackupMillis = new AtomicLong();

  private MaintenanceMetrics(MeterRegistry registry) {
    this.registry = new WeakReference<>(registry);
    Gauge.builder("tradestore.maintenance.last.success.timestamp", lastMaintenanceMillis, m -> m.get() / 1000.0)
        .baseUnit("seconds")
        .description("When the last maintenance run (retention, optimize, checkpoint) succeeded, Unix time; 0: not yet")
        .register(registry);
    Gauge.builder("tradestore.backup.last.success.timestamp", lastBackupMillis, m -> m.get() / 1000.0)
        .baseUnit("seconds").description("When the last backup succeeded, Unix time; 0: not yet").register(registry);
  }

  private MeterRegistry registry() {
    MeterRegistry live = registry.get();
    // only reachable after the engine dropped its registry: count into a registry nobody reads
    return live != null ? live : new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
  }

  /** The registry's maintenance meters, registered on first use. */
  public static MaintenanceMetrics of(MeterRegistry registry) {
    return BY_REGISTRY.computeIfAbsent(registry, MaintenanceMetrics::new);
  }

  private Counter rowsRemovedCounter(String table) {
    return rowsRemoved.computeIfAbsent(table, t -> Counter.builder("tradestore.retention.rows.removed").tag("table", t)
        .description("Rows deleted by retention, by table").register(registry()));
  }

  /** The tables retention purges, whose counters then read 0 before the first purge rather than being absent. */
  public void retentionTables(List<String> tables) {
    tables.forEach(this::rowsRemovedCounter);
  }

  /** Retention deleted {@code rows} rows of {@code table} (a table name, never anything derived from data). */
  public void retentionRowsRemoved(String table, long rows) {
    if (rows > 0) {
      rowsRemovedCounter(table).increment(rows);
    }
  }

  public void maintenanceSucceeded(Instant at) {
    lastMaintenanceMillis.accumulateAndGet(at.toEpochMilli(), Math::max);
  }

  public void backupSucceeded(Instant at) {
    lastBackupMillis.accumulateAndGet(at.toEpochMilli(), Math::max);
  }
}
