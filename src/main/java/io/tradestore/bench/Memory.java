package io.tradestore.bench;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak heap (sum of the heap pools' peaks since the JVM started) and peak RSS ({@code VmHWM}). */
record Memory(long peakHeapBytes, long maxHeapBytes, long peakRssBytes, long rssBytes) {

  static Memory snapshot() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return new Memory(peak, Runtime.getRuntime().maxMemory(), status("VmHWM:"), status("VmRSS:"));
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
    return new JsonObject().put("peakHeapBytes", peakHeapBytes).put("maxHeapBytes", maxHeapBytes)
        .put("peakRssBytes", peakRssBytes).put("rssBytes", rssBytes);
  }

  static Memory fromJson(JsonObject json) {
    return new Memory(json.getLong("peakHeapBytes"), json.getLong("maxHeapBytes"), json.getLong("peakRssBytes"),
        json.getLong("rssBytes"));
  }
}
