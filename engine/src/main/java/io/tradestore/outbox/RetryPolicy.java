package io.tradestore.outbox;

import java.util.function.DoubleSupplier;

/**
 * When to try a failed delivery again: exponential backoff with jitter and a cap, and a limit after which the
 * event is BLOCKED for an operator. The n-th failure waits between half and all of
 * {@code min(max, initial x 2^(n-1))}: the jitter spreads retries of many events that failed together.
 */
public final class RetryPolicy {
  private final long initialMs;
  private final long maxMs;
  private final int maxAttempts;
  private final DoubleSupplier random;

  public RetryPolicy(long initialMs, long maxMs, int maxAttempts, DoubleSupplier random) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.maxAttempts = maxAttempts;
    this.random = random;
  }

  /** The backoff before the next attempt, after {@code attempts} attempts (at least 1) have been made. */
  public long delayAfter(int attempts) {
    long base = ceiling(attempts);
    return base / 2 + (long) (random.getAsDouble() * (base - base / 2));
  }

  /** The upper bound of {@link #delayAfter}; the lower bound is half of it. */
  public long ceiling(int attempts) {
    int doublings = Math.min(Math.max(attempts - 1, 0), 40);
    long base = initialMs << doublings;
    return base <= 0 || base > maxMs ? maxMs : base;
  }

  /** True when an event that failed its {@code attempts}-th attempt must not be tried again automatically. */
  public boolean exhausted(int attempts) {
    return attempts >= maxAttempts;
  }
}
