package io.tradestore;

import org.slf4j.Logger;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A warning that a client or a fault can cause at any rate, logged at most once per interval and kind, with the
 * number of the same kind left unlogged since. What a hostile client sends must not become the operator's full disk.
 */
public final class RateLimitedLog {
  private final Logger log;
  private final long intervalNanos;
  private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

  public RateLimitedLog(Logger log, long interval, TimeUnit unit) {
    this.log = log;
    this.intervalNanos = unit.toNanos(interval);
  }

  /** Logs {@code message} (an SLF4J pattern) at WARN unless a line of this {@code kind} was logged within the interval. */
  public void warn(String kind, String message, Object... args) {
    Window window = windows.computeIfAbsent(kind, k -> new Window());
    long now = System.nanoTime();
    long last = window.lastLoggedNanos.get();
    if (last != 0 && now - last < intervalNanos) {
      window.suppressed.incrementAndGet();
      return;
    }
    if (!window.lastLoggedNanos.compareAndSet(last, now)) {
      window.suppressed.incrementAndGet();
      return;
    }
    long suppressed = window.suppressed.getAndSet(0);
    if (log.isWarnEnabled()) {
      String line = suppressed == 0 ? message : message + " (and " + suppressed + " more like it since the last such line)";
      log.warn(line, args);
    }
  }

  private static final class Window {
    final AtomicLong lastLoggedNanos = new AtomicLong();
    final AtomicLong suppressed = new AtomicLong();
  }
}
