package io.tradestore.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Drives load through {@code connections} transports, each on its own Vert.x context with {@code inFlight}
 * slots.
 *
 * <p>Closed loop ({@code rate == 0}): each slot sends its next request as soon as the last one is answered; the
 * rate reached is the full-load throughput. Open loop ({@code rate > 0}): requests fall due at a constant rate
 * whatever the replies do, and a request's latency runs from when it was DUE, so a stall that delays the sender
 * is counted in full (the coordinated-omission correction of wrk2). A due request that finds no free slot waits
 * in a backlog, its clock already running.
 */
final class LoadDriver {
  record Settings(String label, Workload.Kind kind, int connections, int inFlight, long warmupMs, long durationMs,
                  double rate, String runId) { }

  private LoadDriver() { }

  /** Runs one measurement and waits for it; call from a plain thread. */
  static RunResult run(Vertx vertx, Settings settings, Supplier<Future<Transport>> connect,
                       BiConsumer<Workload.Step, Long> onAnswered) throws Exception {
    return run(vertx, settings, connect, onAnswered, null);
  }

  /** The same, also recording each latency into {@code windows} (when not null), which the caller reads by interval. */
  static RunResult run(Vertx vertx, Settings settings, Supplier<Future<Transport>> connect,
                       BiConsumer<Workload.Step, Long> onAnswered, Recorder windows) throws Exception {
    Recorder recorder = new Recorder(3);
    LongAdder commands = new LongAdder();
    LongAdder fills = new LongAdder();
    LongAdder errors = new LongAdder();
    AtomicReference<String> firstError = new AtomicReference<>();
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200); // every connection starts together
    long windowStart = start + TimeUnit.MILLISECONDS.toNanos(settings.warmupMs());
    long windowEnd = windowStart + TimeUnit.MILLISECONDS.toNanos(settings.durationMs());
    List<String> deployments = new ArrayList<>();
    List<Connection> connections = new ArrayList<>();
    for (int c = 0; c < settings.connections(); c++) {
      Connection connection = new Connection(settings, c, connect, start, windowStart, windowEnd, recorder,
          commands, fills, errors, firstError, onAnswered, windows);
      connections.add(connection);
      deployments.add(vertx.deployVerticle(connection).await(30, TimeUnit.SECONDS));
    }
    try {
      for (Connection connection : connections) {
        connection.finished.future().await(Math.max(60_000, settings.durationMs() * 4), TimeUnit.MILLISECONDS);
      }
    } catch (java.util.concurrent.TimeoutException e) {
      // a run that does not end says where each connection stands (read racily, for a diagnosis only)
      for (Connection connection : connections) {
        System.err.println("load driver: connection " + connection.index + " did not finish: " + connection.state());
      }
      throw e;
    }
    for (String id : deployments) {
      vertx.undeploy(id).await(10, TimeUnit.SECONDS);
    }
    Histogram histogram = recorder.getIntervalHistogram();
    return new RunResult(settings.label(), commands.sum(), fills.sum(), errors.sum(),
        settings.durationMs() / 1000.0, histogram, firstError.get(), settings.rate());
  }

  /** When request {@code k} (from 0) falls due, in nanoseconds after the start. */
  static long dueAt(long k, double perSecond) {
    return (long) (k * 1e9 / perSecond);
  }

  private static final class Connection extends VerticleBase {
    private final Settings settings;
    private final int index;
    private final Supplier<Future<Transport>> connect;
    private final long start;
    private final long windowStart;
    private final long windowEnd;
    private final Recorder recorder;
    private final Recorder windows;
    private final LongAdder commands;
    private final LongAdder fills;
    private final LongAdder errors;
    private final AtomicReference<String> firstError;
    private final BiConsumer<Workload.Step, Long> onAnswered;
    private final Promise<Void> finished = Promise.promise();
    private final ArrayDeque<Workload.Slot> free = new ArrayDeque<>();
    private final ArrayDeque<Long> backlog = new ArrayDeque<>();
    private Transport transport;
    private int outstanding;
    private long issued;
    private long timer = -1;
    private boolean stopped;
    private volatile boolean began;
    private long answered;

    Connection(Settings settings, int index, Supplier<Future<Transport>> connect, long start, long windowStart,
               long windowEnd, Recorder recorder, LongAdder commands, LongAdder fills, LongAdder errors,
               AtomicReference<String> firstError, BiConsumer<Workload.Step, Long> onAnswered, Recorder windows) {
      this.settings = settings;
      this.index = index;
      this.connect = connect;
      this.start = start;
      this.windowStart = windowStart;
      this.windowEnd = windowEnd;
      this.recorder = recorder;
      this.commands = commands;
      this.fills = fills;
      this.errors = errors;
      this.firstError = firstError;
      this.onAnswered = onAnswered;
      this.windows = windows;
    }

    @Override
    public Future<?> start() {
      for (int s = 0; s < settings.inFlight(); s++) {
        free.add(new Workload.Slot(settings.kind(), settings.runId(), index * settings.inFlight() + s));
      }
      return connect.get().onSuccess(t -> {
        transport = t;
        long delayMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(start - System.nanoTime()));
        vertx.setTimer(delayMs, id -> begin());
      });
    }

    @Override
    public Future<?> stop() {
      return transport == null ? Future.succeededFuture() : transport.close();
    }

    String state() {
      return String.format("began %s, issued %d, outstanding %d, free slots %d, backlog %d, stopped %s, answered %d",
          began, issued, outstanding, free.size(), backlog.size(), stopped, answered);
    }

    private void begin() {
      began = true;
      if (settings.rate() <= 0) {
        while (!free.isEmpty()) {
          send(free.poll(), System.nanoTime());
        }
        // the replies end the run once it is over; this ends it if none comes after its end
        long untilEnd = TimeUnit.NANOSECONDS.toMillis(windowEnd - System.nanoTime()) + 1;
        timer = vertx.setTimer(Math.max(1, untilEnd), id -> checkEnd());
      } else {
        tick();
      }
    }

    /**
     * Open loop: issue every request that has fallen due since the last tick, each with its due time; then sleep
     * until the next one is due.
     */
    private void tick() {
      long now = System.nanoTime();
      if (now >= windowEnd) {
        checkEnd();
        return;
      }
      double perConnection = settings.rate() / settings.connections();
      // request k is due k intervals after the start, request 0 at the start itself. (Issuing a request only once
      // a whole interval had passed since its due time charged every request one interval extra: connections /
      // rate, 2 ms at 2,000 commands/s, 200 ms at 20/s.)
      while (start + dueAt(issued, perConnection) <= now) {
        long dueAt = start + dueAt(issued, perConnection);
        issued++;
        Workload.Slot slot = free.poll();
        if (slot == null) {
          backlog.add(dueAt);
        } else {
          send(slot, dueAt);
        }
      }
      // wake when the next request falls due (timers have millisecond steps: it is sent up to 1 ms late, and timed
      // from its due time). A tick every millisecond instead cost a third of a core on 4 connections, idle or not,
      // taken from the engine it measures.
      long untilNext = start + dueAt(issued, perConnection) - now;
      timer = vertx.setTimer(Math.max(1, (untilNext + 999_999) / 1_000_000), id -> tick());
    }

    private void checkEnd() {
      if (System.nanoTime() >= windowEnd && !stopped) {
        stopped = true;
        vertx.cancelTimer(timer);
      }
      if (stopped && outstanding == 0) {
        finished.tryComplete();
      }
    }

    private void send(Workload.Slot slot, long dueAt) {
      Workload.Step step = slot.next();
      outstanding++;
      transport.request(step.address(), step.body(), failure -> {
        long now = System.nanoTime();
        outstanding--;
        answered++;
        if (now >= windowStart && now < windowEnd) {
          recorder.recordValue(Math.max(0, (now - dueAt) / 1000));
          if (windows != null) {
            windows.recordValue(Math.max(0, (now - dueAt) / 1000));
          }
          if (failure == null) {
            commands.increment();
            if (step.fill()) {
              fills.increment();
            }
          } else {
            errors.increment();
          }
        }
        if (failure != null) {
          firstError.compareAndSet(null, step.address() + ": " + failure);
        } else if (onAnswered != null) {
          onAnswered.accept(step, now);
        }
        if (stopped || now >= windowEnd) {
          checkEnd();
          return;
        }
        if (settings.rate() <= 0) {
          send(slot, now);
        } else if (!backlog.isEmpty()) {
          send(slot, backlog.poll());
        } else {
          free.add(slot);
        }
      });
    }
  }
}
