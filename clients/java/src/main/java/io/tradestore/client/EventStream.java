package io.tradestore.client;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The events of one address as a blocking iterator: {@code for (Event e : client.events(address, 10_000)) ...}.
 *
 * <p>Bounded: when the consumer falls {@code capacity} events behind, the oldest waiting event is dropped and
 * counted in {@link #dropped()} rather than letting memory grow without end (the engine keeps every event; replay
 * them with {@code trading.outbox.replay}).
 */
public final class EventStream implements Iterable<Event>, AutoCloseable {
  private static final Event END = new Event(null, null, null);

  private final BlockingQueue<Event> queue;
  private final AtomicLong dropped = new AtomicLong();
  private final Subscription subscription;

  EventStream(TradestoreClient client, String address, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    queue = new ArrayBlockingQueue<>(capacity);
    subscription = client.subscribe(address, this::offer);
  }

  private void offer(Event event) {
    while (!queue.offer(event)) {
      if (queue.poll() != null) {
        dropped.incrementAndGet();
      }
    }
  }

  /** The next event, or null when none arrives within {@code timeout}; null at once after {@link #close()}. */
  public Event poll(Duration timeout) throws InterruptedException {
    Event event = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (event == END) {
      queue.offer(END);
      return null;
    }
    return event;
  }

  /** How many events were dropped because the consumer was too far behind. */
  public long dropped() {
    return dropped.get();
  }

  /** Blocks for each next event; ends after {@link #close()}. */
  @Override
  public Iterator<Event> iterator() {
    return new Iterator<>() {
      private Event next;

      @Override
      public boolean hasNext() {
        if (next == null) {
          try {
            next = queue.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
          if (next == END) {
            queue.offer(END);
          }
        }
        return next != END;
      }

      @Override
      public Event next() {
        if (!hasNext()) {
          throw new NoSuchElementException("the stream is closed");
        }
        Event event = next;
        next = null;
        return event;
      }
    };
  }

  @Override
  public void close() {
    subscription.close();
    offer(END);
  }
}
