package io.tradestore.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The writer's bounded queue and how each batch is cut from it: up to {@code maxBatchSize} commands that run in a
 * transaction, or one that runs outside any. The depth counts commands queued and those in the batch being
 * written, so that a full queue refuses at once, from any thread, while the writer works.
 */
final class WriteQueue {
  private final ArrayDeque<Pending<?>> queue = new ArrayDeque<>();
  private final AtomicInteger depth = new AtomicInteger();
  private final int capacity;
  private final int maxBatchSize;

  WriteQueue(int capacity, int maxBatchSize) {
    this.capacity = capacity;
    this.maxBatchSize = maxBatchSize;
  }

  /** Reserves a place, from any thread; false when the queue is full. */
  boolean reserve() {
    if (depth.incrementAndGet() > capacity) {
      depth.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Gives back a reserved place whose command was never added. */
  void release() {
    depth.decrementAndGet();
  }

  /** On the writer's context, after {@link #reserve}. */
  void add(Pending<?> pending) {
    queue.add(pending);
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** On the writer's context: the next batch, never empty when the queue is not. */
  List<Pending<?>> nextBatch() {
    List<Pending<?>> batch = new ArrayList<>(Math.min(queue.size(), maxBatchSize));
    if (queue.peek().outsideTransaction()) {
      batch.add(queue.poll());
      return batch;
    }
    while (batch.size() < maxBatchSize && !queue.isEmpty() && !queue.peek().outsideTransaction()) {
      batch.add(queue.poll());
    }
    return batch;
  }

  /** The batch's commands are answered: their places are free. */
  void written(List<Pending<?>> batch) {
    depth.addAndGet(-batch.size());
  }

  int capacity() {
    return capacity;
  }

  int depth() {
    return depth.get();
  }
}
