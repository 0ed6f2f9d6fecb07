package io.tradestore.store;

import io.tradestore.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the writer's writes say about the storage: the fault in force (readiness is down while the last write
 * failed for a storage reason), how many writes failed by code (the metrics), and their log.
 *
 * <p>A full disk fails every write until space returns, thousands a second under load; logging each one, with its
 * stack trace, wrote megabytes of log a second (docs/performance.md), onto a disk that may be the full one. So each code is logged when it
 * starts, then at most once per {@link #LOG_EVERY_NANOS} with the count of failures since, and once when writes
 * succeed again; no stack trace, since the cause is the disk and the message names it. Called on the writer's
 * thread only, except for the getters.
 */
final class StorageFaults {
  private static final Logger LOG = LoggerFactory.getLogger(StorageFaults.class);
  static final long LOG_EVERY_NANOS = 30_000_000_000L;

  private final Map<ErrorCode, AtomicLong> counts = new EnumMap<>(ErrorCode.class);
  private final Map<ErrorCode, Long> lastLogged = new EnumMap<>(ErrorCode.class);
  private final Map<ErrorCode, Long> unlogged = new EnumMap<>(ErrorCode.class);
  private volatile StorageFault current;
  private long currentSince;
  private long failedSinceCurrent;
  private boolean currentLogged;

  StorageFaults() {
    for (ErrorCode code : ErrorCode.values()) {
      if (code.isStorageFault()) {
        counts.put(code, new AtomicLong());
      }
    }
  }

  /** A write (a transaction, or work between transactions) failed for {@code fault}. */
  void failed(StorageFault fault) {
    counts.get(fault.code()).incrementAndGet();
    long now = System.nanoTime();
    if (current == null) {
      currentSince = now;
      failedSinceCurrent = 0;
      currentLogged = false;
    }
    current = fault;
    failedSinceCurrent++;
    Long last = lastLogged.get(fault.code());
    if (last != null && now - last < LOG_EVERY_NANOS) {
      unlogged.merge(fault.code(), 1L, Long::sum);
      return;
    }
    long suppressed = unlogged.getOrDefault(fault.code(), 0L);
    lastLogged.put(fault.code(), now);
    unlogged.put(fault.code(), 0L);
    currentLogged = true;
    LOG.error("writes failing: {}; answered {} until it is fixed, logged at most every {} s{}", fault.message(), fault.code(), LOG_EVERY_NANOS / 1_000_000_000L,
        suppressed == 0 ? "" : " (" + suppressed + " more failed writes since the last report)");
  }

  /**
   * A transaction committed: the storage takes writes again. Costs one volatile read when nothing was wrong. The
   * end is logged only when its start was: on a disk at the edge of full, writes that fit in the log's already
   * allocated pages succeed between failures, and such a flapping must not log a pair of lines per write.
   */
  void writeSucceeded() {
    StorageFault ended = current;
    if (ended == null) {
      return;
    }
    current = null;
    if (currentLogged) {
      LOG.info("writes succeed again after {} ms of {} ({} failed writes)", (System.nanoTime() - currentSince) / 1_000_000,
          ended.code(), failedSinceCurrent);
    }
  }

  /** The fault of the last write, or null when it succeeded. */
  StorageFault current() {
    return current;
  }

  /** Writes that failed for a storage reason with {@code code} (one of the {@code STORAGE_} codes). */
  long count(ErrorCode code) {
    AtomicLong count = counts.get(code);
    return count == null ? 0 : count.get();
  }
}
