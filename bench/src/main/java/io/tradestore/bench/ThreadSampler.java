package io.tradestore.bench;

import io.tradestore.store.StoreWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A poor man's profiler: every few milliseconds, the top frames of the Vert.x threads. For the writer it tells
 * how much of the time SQLite itself is working (a worker thread inside {@code org.sqlite}) versus the time the
 * one writer connection sits idle between statements, waiting for its next hop through an event loop.
 */
final class ThreadSampler implements AutoCloseable {
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Thread thread;
  private volatile boolean running = true;
  long samples;
  long sqliteBusy;          // a worker thread was inside SQLite (the writer connection working)
  long workerJava;          // a worker thread was running Java (JDBC glue, row mapping) but not inside SQLite
  long eventLoopBusySum;    // sum over samples of event-loop threads running (not waiting in epoll)
  int eventLoops;
  final Map<String, Long> sqliteFrames = new HashMap<>();

  ThreadSampler(long periodMillis) {
    thread = new Thread(() -> {
      while (running) {
        sample();
        try {
          Thread.sleep(periodMillis);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "bench-thread-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void sample() {
    boolean inSqlite = false;
    boolean inJava = false;
    int loopsBusy = 0;
    int loops = 0;
    for (ThreadInfo info : threads.dumpAllThreads(false, false, 6)) {
      String name = info.getThreadName();
      StackTraceElement[] stack = info.getStackTrace();
      if (stack.length == 0) {
        continue;
      }
      StackTraceElement top = stack[0];
      boolean runnable = info.getThreadState() == Thread.State.RUNNABLE;
      if (name.startsWith("vert.x-worker-thread") || name.startsWith(StoreWriter.THREAD_NAME)) {
        if (runnable && top.getClassName().startsWith("org.sqlite")) {
          inSqlite = true;
          sqliteFrames.merge(top.getClassName().replace("org.sqlite.core.", "") + "." + top.getMethodName(), 1L, Long::sum);
        } else if (runnable && !top.getClassName().startsWith("jdk.internal.misc.Unsafe")) {
          inJava = true;
        }
      } else if (name.startsWith("vert.x-eventloop-thread")) {
        loops++;
        boolean waiting = top.getClassName().contains("EPoll") || top.getMethodName().contains("epollWait")
            || top.getMethodName().startsWith("epoll") || !runnable;
        if (!waiting) {
          loopsBusy++;
        }
      }
    }
    synchronized (this) {
      samples++;
      sqliteBusy += inSqlite ? 1 : 0;
      workerJava += !inSqlite && inJava ? 1 : 0;
      eventLoopBusySum += loopsBusy;
      eventLoops = Math.max(eventLoops, loops);
    }
  }

  synchronized double sqliteShare() {
    return samples == 0 ? Double.NaN : (double) sqliteBusy / samples;
  }

  synchronized double workerJavaShare() {
    return samples == 0 ? Double.NaN : (double) workerJava / samples;
  }

  /** Average number of event-loop threads running at a sample. */
  synchronized double eventLoopsBusy() {
    return samples == 0 ? Double.NaN : (double) eventLoopBusySum / samples;
  }

  synchronized String topSqliteFrames(int n) {
    long total = sqliteFrames.values().stream().mapToLong(Long::longValue).sum();
    return sqliteFrames.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
        .collect(Collectors.toMap(Map.Entry::getKey, e -> Math.round(100.0 * e.getValue() / total) + "%",
            (a, b) -> a, LinkedHashMap::new)).toString();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
