package io.tradestore.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.vertx.core.json.JsonObject;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A JVM's memory over a bench: the most heap in use at once (taken just before each collection, where the used heap
 * peaks, or now), the most heap still in use just after a collection (an upper bound of what was live), and the
 * peak resident set ({@code VmHWM}).
 *
 * <p>Why not the heap pools' own peaks: each pool (eden, survivor, old) peaks at a different moment, so their sum
 * overstates the heap's peak and can exceed the maximum heap (an earlier report read "348 MiB of max 256").
 */
record Memory(long peakHeapUsedBytes, long peakHeapAfterGcBytes, long maxHeapBytes, long peakRssBytes, long rssBytes) {

  private static final AtomicBoolean WATCHING = new AtomicBoolean();
  private static final AtomicLong PEAK_BEFORE_GC = new AtomicLong();
  private static final AtomicLong PEAK_AFTER_GC = new AtomicLong();

  /** Starts following the collector's notifications; call it first thing in a bench JVM (once is enough). */
  static void watchCollections() {
    if (!WATCHING.compareAndSet(false, true)) {
      return;
    }
    Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener((notification, handback) -> {
          if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
          }
          var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
          PEAK_BEFORE_GC.accumulateAndGet(used(info.getMemoryUsageBeforeGc(), heapPools), Math::max);
          PEAK_AFTER_GC.accumulateAndGet(used(info.getMemoryUsageAfterGc(), heapPools), Math::max);
        }, null, null);
      }
    }
  }

  private static long used(Map<String, MemoryUsage> byPool, Set<String> heapPools) {
    long used = 0;
    for (var pool : byPool.entrySet()) {
      if (heapPools.contains(pool.getKey())) {
        used += pool.getValue().getUsed();
      }
    }
    return used;
  }

  static Memory snapshot() {
    long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    return new Memory(Math.max(now, PEAK_BEFORE_GC.get()), PEAK_AFTER_GC.get(), Runtime.getRuntime().maxMemory(),
        status("VmHWM:"), status("VmRSS:"));
  }

  /** A {@code /proc/self/status} line in bytes, -1 where there is none (not Linux). */
  private static long status(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  JsonObject toJson() {
    return new JsonObject().put("peakHeapUsedBytes", peakHeapUsedBytes).put("peakHeapAfterGcBytes", peakHeapAfterGcBytes)
        .put("maxHeapBytes", maxHeapBytes).put("peakRssBytes", peakRssBytes).put("rssBytes", rssBytes);
  }

  static Memory fromJson(JsonObject json) {
    return new Memory(json.getLong("peakHeapUsedBytes"), json.getLong("peakHeapAfterGcBytes"), json.getLong("maxHeapBytes"),
        json.getLong("peakRssBytes"), json.getLong("rssBytes"));
  }
}
