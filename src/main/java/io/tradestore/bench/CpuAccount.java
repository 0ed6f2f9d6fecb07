package io.tradestore.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time spent during a run, by kind of thread: unlike throughput, CPU per fill hardly depends on what else the
 * machine is doing, so it says what a fill costs the engine however loaded the machine was.
 */
final class CpuAccount {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> startByThread = new HashMap<>();
  private final Map<Long, String> nameByThread = new HashMap<>();
  private final long processStart;
  private final long wallStart = System.nanoTime();

  CpuAccount() {
    for (long id : THREADS.getAllThreadIds()) {
      startByThread.put(id, Math.max(0, THREADS.getThreadCpuTime(id)));
    }
    processStart = processCpuNanos();
  }

  /** CPU nanoseconds by group since construction: worker, event loop, other Java threads, the rest (GC, JIT) and total. */
  Map<String, Long> delta() {
    Map<String, Long> groups = new LinkedHashMap<>();
    groups.put("worker threads (JDBC + SQLite)", 0L);
    groups.put("event-loop threads (bus, verticles, driver)", 0L);
    groups.put("other Java threads", 0L);
    long javaThreads = 0;
    for (var info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = THREADS.getThreadCpuTime(info.getThreadId());
      if (cpu < 0) {
        continue;
      }
      long used = cpu - startByThread.getOrDefault(info.getThreadId(), 0L);
      javaThreads += used;
      String name = info.getThreadName();
      String group = name.startsWith("vert.x-worker-thread") ? "worker threads (JDBC + SQLite)"
          : name.startsWith("vert.x-eventloop-thread") ? "event-loop threads (bus, verticles, driver)" : "other Java threads";
      groups.merge(group, used, Long::sum);
    }
    long total = processCpuNanos() - processStart;
    groups.put("GC, JIT and other JVM threads", Math.max(0, total - javaThreads));
    groups.put("process total", total);
    groups.put("wall", System.nanoTime() - wallStart);
    return groups;
  }

  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  static long currentThreadCpuNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }
}
