package io.tradestore.store;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the writer's queue admits commands and cuts batches, without a database. */
class WriteQueueTest {
  private static Pending<Void> inTransaction() {
    return new Pending<>(Write.sql(tx -> Future.succeededFuture()), null);
  }

  private static Pending<Void> outside() {
    return new Pending<>(Write.outsideTransaction(tx -> Future.succeededFuture()), null);
  }

  @Test
  void aFullQueueRefusesAndAPlaceFreesWhenItsBatchIsWritten() {
    WriteQueue queue = new WriteQueue(2, 10);
    assertTrue(queue.reserve());
    assertTrue(queue.reserve());
    assertFalse(queue.reserve(), "capacity 2");
    assertEquals(2, queue.depth());

    queue.add(inTransaction());
    queue.add(inTransaction());
    List<Pending<?>> batch = queue.nextBatch();
    assertEquals(2, queue.depth(), "commands in the batch being written still count");
    assertFalse(queue.reserve());
    queue.written(batch);
    assertEquals(0, queue.depth());
    assertTrue(queue.reserve());
    queue.release();
    assertEquals(0, queue.depth());
  }

  @Test
  void aBatchTakesAtMostMaxBatchSizeCommandsInQueueOrder() {
    WriteQueue queue = new WriteQueue(100, 3);
    List<Pending<Void>> queued = List.of(inTransaction(), inTransaction(), inTransaction(), inTransaction());
    queued.forEach(queue::add);
    assertEquals(List.of(queued.get(0), queued.get(1), queued.get(2)), queue.nextBatch());
    assertEquals(List.of(queued.get(3)), queue.nextBatch());
    assertTrue(queue.isEmpty());
  }

  @Test
  void workOutsideTransactionsRunsAloneAndEndsTheBatchBeforeIt() {
    WriteQueue queue = new WriteQueue(100, 10);
    Pending<Void> first = inTransaction();
    Pending<Void> second = inTransaction();
    Pending<Void> checkpoint = outside();
    Pending<Void> after = inTransaction();
    List.of(first, second, checkpoint, after).forEach(queue::add);

    assertEquals(List.of(first, second), queue.nextBatch());
    assertEquals(List.of(checkpoint), queue.nextBatch());
    assertEquals(List.of(after), queue.nextBatch());
  }
}
