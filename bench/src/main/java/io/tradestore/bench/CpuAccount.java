package io.tradestore.bench;

import io.tradestore.store.StoreWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

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
  private final Map<String, Long> runQueueStart;

  CpuAccount() {
    for (long id : THREADS.getAllThreadIds()) {
      startByThread.put(id, Math.max(0, THREADS.getThreadCpuTime(id)));
    }
    processStart = processCpuNanos();
    runQueueStart = runQueueWaitByTask();
  }

  /**
   * Nanoseconds the threads of each group spent runnable but waiting for a CPU since construction (Linux
   * {@code /proc/self/task/<tid>/schedstat}, second field), or an empty map where that is not available. A single
   * writer that waits for a CPU is a writer that is not writing: this says how much the 2 cores, not the engine's
   * own work, held it back.
   */
  Map<String, Long> runQueueDelta() {
    Map<String, Long> now = runQueueWaitByTask();
    Map<String, Long> groups = new LinkedHashMap<>();
    if (now.isEmpty()) {
      return groups;
    }
    groups.put("worker threads (JDBC + SQLite)", 0L);
    groups.put("event-loop threads (bus, verticles, driver)", 0L);
    groups.put("other Java threads", 0L);
    now.forEach((task, waited) -> {
      String comm = task.substring(task.indexOf(' ') + 1);
      // the kernel keeps the first 15 characters of a thread's name
      String group = comm.startsWith("vert.x-worker-t") || comm.startsWith(StoreWriter.THREAD_NAME.substring(0, 15))
          ? "worker threads (JDBC + SQLite)"
          : comm.startsWith("vert.x-eventloo") ? "event-loop threads (bus, verticles, driver)" : "other Java threads";
      groups.merge(group, waited - runQueueStart.getOrDefault(task, 0L), Long::sum);
    });
    return groups;
  }

  /** "tid name" to run-queue wait in ns, for every thread of this process. */
  private static Map<String, Long> runQueueWaitByTask() {
    Map<String, Long> waits = new HashMap<>();
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return waits;
    }
    try (Stream<Path> all = Files.list(tasks)) {
      for (Path task : all.toList()) {
        try {
          String comm = Files.readString(task.resolve("comm")).trim();
          String[] fields = Files.readString(task.resolve("schedstat")).trim().split(" ");
          waits.put(task.getFileName() + " " + comm, Long.parseLong(fields[1]));
        } catch (IOException | RuntimeException gone) {
          // the thread ended meanwhile, or schedstat is not there: leave it out
        }
      }
    } catch (IOException e) {
      return new HashMap<>();
    }
    return waits;
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
      String group = name.startsWith("vert.x-worker-thread") || name.startsWith(StoreWriter.THREAD_NAME)
          ? "worker threads (JDBC + SQLite)"
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
