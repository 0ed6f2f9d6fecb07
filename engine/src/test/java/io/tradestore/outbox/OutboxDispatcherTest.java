package io.tradestore.outbox;

import io.tradestore.outbox.OutboxHarness.Delivery;
import io.tradestore.store.Write;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tradestore.outbox.OutboxHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outbox's guarantees (../shared/reference/outbox.md section 4), against a real file and a real event bus. */
class OutboxDispatcherTest {
  @TempDir Path dir;

  private static List<Integer> ns(List<Delivery> deliveries) {
    return deliveries.stream().map(Delivery::n).toList();
  }

  @Test
  void aRolledBackTransactionLeavesNoRowAndNothingIsDelivered() throws Exception {
    try (OutboxHarness h = new OutboxHarness(dir, Map.of())) {
      h.deploy();
      Future<Void> failed = h.store.writer().submit(Write.sql(tx -> OutboxAppender.append(tx, List.of(
              OutboxEvent.of("order.placed", "order", "A", new JsonObject().put("n", 1), System.currentTimeMillis())))
          .compose(v -> Future.failedFuture(new IllegalStateException("the business change failed after the event")))));
      failed.otherwiseEmpty().await();
      assertTrue(failed.failed());
      Thread.sleep(3 * h.config.outbox().pollMaxMs());
      assertEquals(0, h.queryLong("SELECT count(*) FROM outbox"));
      assertTrue(h.raw.isEmpty());

      h.commit("A", 2, 2);
      await("the committed event", 5_000, () -> h.raw.size() == 1);
      assertEquals(1, h.queryLong("SELECT count(*) FROM outbox"));
      await("its mark", 5_000, () -> "PUBLISHED".equals(uncheckedString(h, "SELECT status FROM outbox")));
    }
  }

  @Test
  void everyEventIsPublishedOnTheEventsAddressesWithItsEnvelope() throws Exception {
    try (OutboxHarness h = new OutboxHarness(dir, Map.of())) {
      List<JsonObject> all = new java.util.concurrent.CopyOnWriteArrayList<>();
      List<JsonObject> typed = new java.util.concurrent.CopyOnWriteArrayList<>();
      h.vertx.eventBus().<JsonObject>consumer("trading.events", m -> all.add(m.body())).completion().await();
      h.vertx.eventBus().<JsonObject>consumer("trading.events.order.updated", m -> typed.add(m.body())).completion().await();
      h.deploy();
      h.commit("A", 1, 1);
      await("the publications", 5_000, () -> all.size() == 1 && typed.size() == 1);
      JsonObject envelope = all.get(0);
      assertEquals(typed.get(0), envelope);
      assertEquals("order.updated", envelope.getString("type"));
      assertEquals("order", envelope.getString("aggregateType"));
      assertEquals("A", envelope.getString("aggregateId"));
      assertEquals(1, envelope.getJsonObject("payload").getInteger("n"));
      assertTrue(envelope.getLong("seq") > 0);
      assertTrue(envelope.getString("occurredAt").endsWith("Z"));
      assertEquals(36, envelope.getString("eventId").length());
    }
  }

  @Test
  void aCrashAfterTheAcknowledgementRedeliversOnceAfterRestartWithTheSameEventId() throws Exception {
    try (OutboxHarness h = new OutboxHarness(dir, Map.of())) {
      AtomicBoolean crashed = new AtomicBoolean();
      h.deploy(event -> crashed.compareAndSet(false, true)); // acknowledged, then "dies" before recording it
      h.commit("A", 1, 1);
      await("the first delivery", 5_000, () -> h.raw.size() == 1);
      await("the crash", 5_000, crashed::get);
      h.undeploy();
      assertEquals("PENDING", h.queryString("SELECT status FROM outbox"), "the outcome was never recorded");
      assertEquals(0, h.queryLong("SELECT attempts FROM outbox"), "attempts counts recorded outcomes");

      h.deploy(); // the restart reads the event again and delivers it again
      await("the redelivery", 5_000, () -> h.raw.size() == 2);
      assertEquals(h.raw.get(0).eventId(), h.raw.get(1).eventId());
      await("the mark", 5_000, () -> "PUBLISHED".equals(uncheckedString(h, "SELECT status FROM outbox")));
      assertEquals(1, h.queryLong("SELECT attempts FROM outbox"));
      Thread.sleep(3 * h.config.outbox().pollMaxMs());
      assertEquals(2, h.raw.size(), "delivered exactly twice: at least once, and no more");
    }
  }

  @Test
  void aFailingEventIsRetriedWithBackoffAndItsAggregateArrivesExactlyInOrder() throws Exception {
    try (OutboxHarness h = new OutboxHarness(dir, Map.of())) {
      AtomicInteger refusals = new AtomicInteger();
      h.answer = e -> e.getJsonObject("payload").getInteger("n") == 2 && refusals.getAndIncrement() < 3 ? 500 : 0;
      h.deploy();
      h.commit("A", 1, 5);
      await("all five", 10_000, () -> h.effects(d -> true).size() == 5);

      List<Delivery> acknowledged = h.effects(d -> true);
      assertEquals(List.of(1, 2, 3, 4, 5), ns(acknowledged));
      List<Delivery> raw = new ArrayList<>(h.raw);
      int lastTwo = -1;
      int firstThree = -1;
      List<Long> twoAt = new ArrayList<>();
      for (int i = 0; i < raw.size(); i++) {
        if (raw.get(i).n() == 2) {
          lastTwo = i;
          twoAt.add(raw.get(i).atMillis());
        }
        if (raw.get(i).n() == 3 && firstThree < 0) {
          firstThree = i;
        }
      }
      assertTrue(firstThree > lastTwo, "e3 never arrives before e2 was acknowledged: " + ns(raw));
      assertEquals(4, twoAt.size());
      await("the marks", 5_000, () -> uncheckedLong(h, "SELECT count(*) FROM outbox WHERE status = 'PUBLISHED'") == 5);
      assertEquals(4, h.queryLong("SELECT attempts FROM outbox WHERE json_extract(payload, '$.n') = 2"));
      RetryPolicy policy = new RetryPolicy(40, 400, 10, () -> 0.5);
      for (int k = 1; k <= 3; k++) {
        long gap = twoAt.get(k) - twoAt.get(k - 1);
        long ceiling = policy.ceiling(k);
        assertTrue(gap >= ceiling / 2 - 5 && gap <= ceiling + 250,
            "gap after attempt " + k + " was " + gap + " ms, expected within [" + ceiling / 2 + ", " + ceiling + "] plus scheduling");
      }
    }
  }

  @Test
  void eventsCommittedWhileAnEarlierEventOfTheirAggregateAwaitsItsRetryNeverOvertakeIt() throws Exception {
    // the dispatcher reads on after the last seq it took; the later events of a failed aggregate stay behind
    try (OutboxHarness h = new OutboxHarness(dir, Map.of())) {
      AtomicInteger refusals = new AtomicInteger();
      h.answer = e -> "A".equals(e.getString("aggregateId")) && e.getJsonObject("payload").getInteger("n") == 2
          && refusals.getAndIncrement() < 2 ? 500 : 0;
      h.deploy();
      h.commit("A", 1, 2);
      await("the first refusal", 5_000, () -> refusals.get() >= 1);
      h.commit("A", 3, 5);
      h.commit("B", 1, 3);
      await("all eight", 10_000, () -> h.effects(d -> true).size() == 8);

      assertEquals(List.of(1, 2, 3, 4, 5), ns(h.effects(d -> "A".equals(d.aggregateId()))));
      assertEquals(List.of(1, 2, 3), ns(h.effects(d -> "B".equals(d.aggregateId()))));
      List<Delivery> raw = new ArrayList<>(h.raw);
      int lastTwo = -1;
      int firstLater = Integer.MAX_VALUE;
      for (int i = 0; i < raw.size(); i++) {
        Delivery d = raw.get(i);
        if ("A".equals(d.aggregateId()) && d.n() == 2) {
          lastTwo = i;
        }
        if ("A".equals(d.aggregateId()) && d.n() > 2) {
          firstLater = Math.min(firstLater, i);
        }
      }
      assertTrue(firstLater > lastTwo, "A3..A5 never sent before A2 was acknowledged: " + raw);
      assertEquals(8, raw.size() - 2, "every event sent once, A2 twice more: " + raw);
      await("the marks", 5_000, () -> uncheckedLong(h, "SELECT count(*) FROM outbox WHERE status = 'PUBLISHED'") == 8);
      assertEquals(3, h.queryLong("SELECT attempts FROM outbox WHERE aggregate_id = 'A' AND json_extract(payload, '$.n') = 2"));
    }
  }

  @Test
  void anEventCommittedWhileItsAggregatesRetryIsBeingDeliveredFollowsItAndIsNotLeftBehind() throws Exception {
    // the retry is taken by a pass from the start; its row stays PENDING (with attempts) until its outcome is
    // recorded, and the reads after it must neither let a later event of its aggregate overtake it nor skip it
    try (OutboxHarness h = new OutboxHarness(dir, Map.of("outbox.subscribers", List.of("gated.subscriber")))) {
      List<String> arrivals = java.util.Collections.synchronizedList(new ArrayList<>());
      List<io.vertx.core.eventbus.Message<JsonObject>> gated = java.util.Collections.synchronizedList(new ArrayList<>());
      AtomicInteger firstAttempts = new AtomicInteger();
      h.vertx.eventBus().<JsonObject>consumer("gated.subscriber", m -> {
        String name = m.body().getString("aggregateId") + m.body().getJsonObject("payload").getInteger("n");
        arrivals.add(name);
        if (name.equals("X1") && firstAttempts.incrementAndGet() == 1) {
          m.fail(500, "not yet");
        } else if (name.equals("X1")) {
          gated.add(m); // the retry: held open until the later events are committed and read
        } else {
          m.reply("ok");
        }
      }).completion().await();
      h.deploy();
      h.commit("X", 1, 1);
      await("the retry of X1 in flight", 5_000, () -> gated.size() == 1);
      h.commit("X", 2, 2);
      h.commit("Y", 1, 1);
      await("Y1, which nothing holds back", 5_000, () -> arrivals.contains("Y1"));
      assertFalse(arrivals.contains("X2"), "X2 waits for X1: " + arrivals);
      gated.get(0).reply("ok");
      await("X2 after X1", 5_000, () -> arrivals.contains("X2"));
      assertEquals(List.of("X1", "X1", "X2"), arrivals.stream().filter(a -> a.startsWith("X")).toList());
      await("the marks", 5_000, () -> uncheckedLong(h, "SELECT count(*) FROM outbox WHERE status = 'PUBLISHED'") == 3);
    }
  }

  @Test
  void eventsTheWriterHandsOverAtCommitAreDeliveredFromMemoryInOrderWithoutReadingThemBack() throws Exception {
    try (OutboxHarness h = new OutboxHarness(dir, Map.of())) {
      h.deploy();
      OutboxDispatcher dispatcher = h.verticle.dispatcher();
      await("the first pass", 5_000, () -> dispatcher.reads() > 0);
      // in a cold JVM the first commits are slow enough for the 10 ms poll to read them first (measured: 48 of
      // 180 events when this test ran first); the property is about an engine at work, so warm the path up
      int warmUp = 30;
      for (int i = 0; i < warmUp; i++) {
        h.commitViaFeed("W", i + 1, i + 1);
      }
      await("the warm-up", 10_000, () -> h.effects(d -> true).size() == warmUp);
      long handedBefore = dispatcher.handedOverCount();
      int commits = 60;
      for (int i = 0; i < commits; i++) {
        h.commitViaFeed("A" + i % 3, i * 3 + 1, i * 3 + 3);
      }
      await("every event", 10_000, () -> h.effects(d -> true).size() == warmUp + commits * 3);
      for (int a = 0; a < 3; a++) {
        String aggregate = "A" + a;
        List<Integer> ns = ns(h.effects(d -> d.aggregateId().equals(aggregate)));
        List<Integer> sorted = new ArrayList<>(ns);
        sorted.sort(null);
        assertEquals(sorted, ns, "aggregate " + aggregate + " in order");
      }
      assertEquals(warmUp + commits * 3, h.raw.size(), "each delivered once");
      await("the marks", 5_000,
          () -> uncheckedLong(h, "SELECT count(*) FROM outbox WHERE status = 'PUBLISHED'") == warmUp + commits * 3);
      assertTrue(dispatcher.handedOverCount() > handedBefore, "the burst used the hand-off");

      // one commit at a time, as an engine between bursts: a poll's read can still coincide with a hand-off, which
      // then goes by a read, so most, not all, come from memory. (Counted over the burst above instead, a cold JVM
      // read 48 and 87 of its 180 events: a slow read overlaps the next commit's hand-off, which then goes by a
      // read too.)
      long readsBefore = dispatcher.reads();
      handedBefore = dispatcher.handedOverCount();
      int paced = 40;
      for (int i = 0; i < paced; i++) {
        int delivered = warmUp + commits * 3 + i + 1;
        h.commitViaFeed("P", i + 1, i + 1);
        await("paced commit " + i, 5_000, () -> h.effects(d -> true).size() == delivered);
      }
      long handed = dispatcher.handedOverCount() - handedBefore;
      assertTrue(handed >= paced * 8 / 10, handed + " of " + paced + " events taken from the hand-off");
      long reads = dispatcher.reads() - readsBefore;
      assertTrue(reads < paced / 2, reads + " reads for " + paced + " commits");
    }
  }

  @Test
  void eventsAppendedOutsideTheHandOffBetweenHandOffsAreReadAndTheAggregateStaysInSeqOrder() throws Exception {
    // the book's events come by hand-off; a balance update or a quote cancel is appended by another path: a gap
    try (OutboxHarness h = new OutboxHarness(dir, Map.of())) {
      h.deploy();
      int n = 1;
      for (int i = 0; i < 40; i++) {
        if (i % 3 == 2) {
          h.commit("A", n, n + 1);
        } else {
          h.commitViaFeed("A", n, n + 1);
        }
        n += 2;
      }
      int total = n - 1;
      await("every event", 10_000, () -> h.effects(d -> true).size() == total);
      List<Integer> expected = new ArrayList<>();
      for (int k = 1; k <= total; k++) {
        expected.add(k);
      }
      assertEquals(expected, ns(h.effects(d -> true)));
      assertEquals(total, h.raw.size(), "each delivered once");
      assertTrue(h.verticle.dispatcher().handedOverCount() > 0, "the hand-off was used between the gaps");
    }
  }

  @Test
  void aHandedOverEventThatFailsIsRetriedAndTheLaterEventsOfItsAggregateWaitForIt() throws Exception {
    try (OutboxHarness h = new OutboxHarness(dir, Map.of())) {
      AtomicInteger refusals = new AtomicInteger();
      h.answer = e -> e.getString("aggregateId").equals("A") && e.getJsonObject("payload").getInteger("n") == 2
          && refusals.getAndIncrement() < 2 ? 500 : 0;
      h.deploy();
      h.commitViaFeed("A", 1, 3);
      h.commitViaFeed("B", 1, 2);
      h.commitViaFeed("A", 4, 5);
      await("all seven", 10_000, () -> h.effects(d -> true).size() == 7);
      assertEquals(List.of(1, 2, 3, 4, 5), ns(h.effects(d -> d.aggregateId().equals("A"))));
      assertEquals(List.of(1, 2), ns(h.effects(d -> d.aggregateId().equals("B"))));
      await("the marks", 5_000, () -> uncheckedLong(h, "SELECT count(*) FROM outbox WHERE status = 'PUBLISHED'") == 7);
      assertEquals(3, h.queryLong("SELECT attempts FROM outbox WHERE aggregate_id = 'A' AND json_extract(payload, '$.n') = 2"));
    }
  }

  @Test
  void aHandOffNeverOvertakesAnEventBlockedBeforeARestart() throws Exception {
    // the dispatcher's memory starts empty: only the table says that A is held
    try (OutboxHarness h = new OutboxHarness(dir, Map.of())) {
      h.answer = e -> e.getString("aggregateId").equals("A") && e.getJsonObject("payload").getInteger("n") == 1 ? 422 : 0;
      h.deploy();
      h.commitViaFeed("A", 1, 1);
      await("blocked", 5_000, () -> uncheckedLong(h, "SELECT count(*) FROM outbox WHERE status = 'BLOCKED'") == 1);
      h.undeploy();
      h.answer = e -> 0;
      h.deploy();
      for (int i = 0; i < 5; i++) {
        h.commitViaFeed("A", 2 + i, 2 + i);
        h.commitViaFeed("B", 1 + i, 1 + i);
      }
      await("B flows", 5_000, () -> h.effects(d -> d.aggregateId().equals("B")).size() == 5);
      Thread.sleep(300);
      assertEquals(List.of(), ns(h.effects(d -> d.aggregateId().equals("A"))), "A waits behind its blocked event");
      long blocked = h.queryLong("SELECT seq FROM outbox WHERE status = 'BLOCKED'");
      h.request("trading.outbox.requeue", new JsonObject().put("seq", blocked).put("reason", "fixed"));
      await("A in order", 5_000, () -> h.effects(d -> d.aggregateId().equals("A")).size() == 6);
      assertEquals(List.of(1, 2, 3, 4, 5, 6), ns(h.effects(d -> d.aggregateId().equals("A"))));
      // with nothing held any more, the hand-off is used again (once a read has brought the cursor to the end)
      h.commitViaFeed("A", 7, 7);
      await("the seventh", 5_000, () -> h.effects(d -> d.aggregateId().equals("A")).size() == 7);
      long before = h.verticle.dispatcher().handedOverCount();
      h.commitViaFeed("A", 8, 8);
      await("the eighth", 5_000, () -> h.effects(d -> d.aggregateId().equals("A")).size() == 8);
      assertTrue(h.verticle.dispatcher().handedOverCount() > before, "taken from the hand-off once nothing was held");
    }
  }

  @Test
  void aHandOffNeverOvertakesAnEarlierEventWaitingForItsRetryAcrossPassesFromTheStart() throws Exception {
    // A's first event waits a long retry; meanwhile operator commands (a requeue of no event) start passes from the start
    try (OutboxHarness h = new OutboxHarness(dir, Map.of("outbox.backoffInitialMs", 1500, "outbox.backoffMaxMs", 1500))) {
      AtomicInteger aRefusals = new AtomicInteger();
      h.answer = e -> e.getString("aggregateId").equals("A") && e.getJsonObject("payload").getInteger("n") == 1
          && aRefusals.getAndIncrement() < 1 ? 500 : 0;
      h.deploy();
      h.commitViaFeed("A", 1, 1);
      await("A's first attempt", 5_000, () -> aRefusals.get() == 1);
      await("its retry recorded", 5_000, () -> uncheckedLong(h, "SELECT attempts FROM outbox WHERE aggregate_id = 'A'") == 1);
      for (int i = 0; i < 5; i++) {
        h.commitViaFeed("A", 2 + i, 2 + i);
        h.commitViaFeed("B", 1 + i, 1 + i);
        assertEquals(404, failureCode(h, "trading.outbox.requeue", new JsonObject().put("seq", 999_999)));
      }
      await("everything", 10_000, () -> h.effects(d -> true).size() == 11);
      assertEquals(List.of(1, 2, 3, 4, 5, 6), ns(h.effects(d -> d.aggregateId().equals("A"))));
    }
  }

  @Test
  void aRetryComingDueWhileAnotherAggregatesDeliveryHangsIsDeliveredAndOthersKeepFlowing() throws Exception {
    // a pass from the start (for X1's retry) must not wait for Y1, whose subscriber has not answered yet
    try (OutboxHarness h = new OutboxHarness(dir, Map.of("outbox.subscribers", List.of("hanging.subscriber"),
        "outbox.deliveryTimeoutMs", 30_000))) {
      List<String> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
      List<io.vertx.core.eventbus.Message<JsonObject>> hanging = java.util.Collections.synchronizedList(new ArrayList<>());
      AtomicInteger x1Attempts = new AtomicInteger();
      h.vertx.eventBus().<JsonObject>consumer("hanging.subscriber", m -> {
        String name = m.body().getString("aggregateId") + m.body().getJsonObject("payload").getInteger("n");
        if (name.equals("Y1")) {
          hanging.add(m); // answered only at the end of the test
        } else if (name.equals("X1") && x1Attempts.incrementAndGet() == 1) {
          m.fail(500, "not yet");
        } else {
          acknowledged.add(name);
          m.reply("ok");
        }
      }).completion().await();
      h.deploy();
      h.commit("Y", 1, 1);
      await("Y1 hanging", 5_000, () -> hanging.size() == 1);
      h.commit("X", 1, 2);
      await("X1 retried and acknowledged, then X2", 5_000, () -> acknowledged.containsAll(List.of("X1", "X2")));
      h.commit("Z", 1, 2);
      await("Z1 and Z2", 5_000, () -> acknowledged.containsAll(List.of("Z1", "Z2")));
      assertEquals(List.of("X1", "X2"), acknowledged.stream().filter(a -> a.startsWith("X")).toList());
      assertEquals(1, hanging.size(), "Y1 still unanswered all along");
      hanging.get(0).reply("ok");
      await("every mark", 5_000, () -> uncheckedLong(h, "SELECT count(*) FROM outbox WHERE status = 'PUBLISHED'") == 5);
    }
  }

  @Test
  void rowsAnEarlierBuildLeftInFlightAreDeliveredAgainFirstAndInOrder() throws Exception {
    // earlier builds wrote IN_FLIGHT claims into the rows; a crash of such a build leaves them there
    try (OutboxHarness h = new OutboxHarness(dir, Map.of())) {
      h.commit("A", 1, 3);
      h.execute("UPDATE outbox SET status = 'IN_FLIGHT', attempts = 1, claimed_by = 'old', lease_until = 0 "
          + "WHERE json_extract(payload, '$.n') = 1");
      h.deploy();
      await("all three", 5_000, () -> h.effects(d -> true).size() == 3);
      assertEquals(List.of(1, 2, 3), ns(h.effects(d -> true)));
      await("the marks", 5_000, () -> uncheckedLong(h, "SELECT count(*) FROM outbox WHERE status = 'PUBLISHED'") == 3);
      assertEquals(2, h.queryLong("SELECT attempts FROM outbox WHERE json_extract(payload, '$.n') = 1"),
          "the earlier build's attempt still counts");
      assertEquals(0, h.queryLong("SELECT count(*) FROM outbox WHERE claimed_by IS NOT NULL"));
    }
  }

  @Test
  void anEventStampedLaterThanTheNextOfItsAggregateIsStillDeliveredFirstAndAtOnce() throws Exception {
    // event times are taken when a command arrives, so within one commit a later event may carry an earlier time
    try (OutboxHarness h = new OutboxHarness(dir, Map.of())) {
      long now = System.currentTimeMillis();
      h.commit(List.of(
          OutboxEvent.of("order.updated", "order", "X", new JsonObject().put("n", 1), now + 60_000),
          OutboxEvent.of("order.updated", "order", "X", new JsonObject().put("n", 2), now)));
      h.deploy();
      await("both delivered", 5_000, () -> h.effects(d -> true).size() == 2);
      assertEquals(List.of(1, 2), ns(h.effects(d -> true)));
    }
  }

  @Test
  void theStatusLeavesTheFinishedCountsOutWhenAskedSoThatProbesDoNotScanTheHistory() throws Exception {
    try (OutboxHarness h = new OutboxHarness(dir, Map.of())) {
      h.deploy();
      h.commit("A", 1, 3);
      await("published", 5_000, () -> uncheckedLong(h, "SELECT count(*) FROM outbox WHERE status = 'PUBLISHED'") == 3);
      JsonObject all = h.request("trading.outbox.status", new JsonObject());
      assertEquals(3L, all.getJsonObject("counts").getLong("PUBLISHED"));
      assertEquals(0L, all.getJsonObject("counts").getLong("SKIPPED"));
      JsonObject unfinished = h.request("trading.outbox.status", new JsonObject().put("finished", false));
      assertEquals(new JsonObject().put("PENDING", 0L).put("IN_FLIGHT", 0L).put("BLOCKED", 0L),
          unfinished.getJsonObject("counts"));
      io.vertx.core.eventbus.ReplyException refused = org.junit.jupiter.api.Assertions.assertThrows(
          io.vertx.core.eventbus.ReplyException.class,
          () -> h.request("trading.outbox.status", new JsonObject().put("finished", "no")));
      assertEquals(400, refused.failureCode());
      assertTrue(refused.getMessage().contains("finished"), refused.getMessage());
    }
  }

  @Test
  void aBlockedAggregateNeverHoldsBackAnother() throws Exception {
    try (OutboxHarness h = new OutboxHarness(dir, Map.of("outbox.maxAttempts", 3))) {
      h.answer = e -> "A".equals(e.getString("aggregateId")) ? 500 : 0;
      h.deploy();
      for (int n = 1; n <= 5; n++) { // interleaved in commit order: a1 b1 a2 b2 ...
        h.commit("A", n, n);
        h.commit("B", n, n);
      }
      await("all of B", 10_000, () -> h.effects(d -> "B".equals(d.aggregateId())).size() == 5);
      await("A blocked", 10_000, () -> uncheckedLong(h, "SELECT count(*) FROM outbox WHERE status = 'BLOCKED'") == 1);
      assertEquals(List.of(1, 2, 3, 4, 5), ns(h.effects(d -> "B".equals(d.aggregateId()))));
      Thread.sleep(3 * h.config.outbox().pollMaxMs());
      List<Integer> aAttempted = h.raw.stream().filter(d -> "A".equals(d.aggregateId())).map(Delivery::n).distinct().toList();
      assertEquals(List.of(1), aAttempted, "none of A's later events was delivered");
      assertEquals(4, h.queryLong("SELECT count(*) FROM outbox WHERE aggregate_id = 'A' AND status = 'PENDING'"));
    }
  }

  @Test
  void theStatusNamesTheNextDueEventAmongFreshAndRetriedOnes() throws Exception {
    try (OutboxHarness h = new OutboxHarness(dir, Map.of("outbox.maxAttempts", 10, "outbox.backoffInitialMs", 60_000,
        "outbox.backoffMaxMs", 60_000))) {
      h.answer = e -> "A".equals(e.getString("aggregateId")) ? 503 : 0;
      h.deploy();
      h.commit("A", 1, 2);
      await("A's first event waits for its retry", 10_000,
          () -> uncheckedLong(h, "SELECT count(*) FROM outbox WHERE status = 'PENDING' AND attempts = 1") == 1);
      long retryAt = h.queryLong("SELECT next_attempt_at FROM outbox WHERE attempts = 1");
      assertTrue(retryAt > System.currentTimeMillis() + 30_000, "the retry is a minute away");

      JsonObject status = h.request("trading.outbox.status", new JsonObject());
      // the second event of A was never tried and is due since it was appended, before the retry
      long freshDue = h.queryLong("SELECT next_attempt_at FROM outbox WHERE attempts = 0");
      assertTrue(freshDue < retryAt);
      assertEquals(io.tradestore.Times.iso(freshDue), status.getString("nextDueAt"));
      assertEquals(2L, status.getJsonObject("counts").getLong("PENDING"));
    }
  }

  @Test
  void maxAttemptsBlocksTheEventThenRequeueDeliversItsAggregateInOrder() throws Exception {
    try (OutboxHarness h = new OutboxHarness(dir, Map.of("outbox.maxAttempts", 3))) {
      AtomicBoolean healthy = new AtomicBoolean(false);
      h.answer = e -> healthy.get() ? 0 : 503;
      h.deploy();
      h.commit("A", 1, 3);
      await("blocked", 10_000, () -> uncheckedLong(h, "SELECT count(*) FROM outbox WHERE status = 'BLOCKED'") == 1);
      // the later events were never attempted: still PENDING, with no attempt recorded
      await("the later events released", 10_000,
          () -> uncheckedLong(h, "SELECT count(*) FROM outbox WHERE status = 'PENDING'") == 2);
      assertEquals(3, h.queryLong("SELECT attempts FROM outbox WHERE status = 'BLOCKED'"));
      assertTrue(h.queryString("SELECT last_error FROM outbox WHERE status = 'BLOCKED'").contains("code 503"));

      JsonObject status = h.request("trading.outbox.status", new JsonObject());
      assertEquals(1L, status.getJsonObject("counts").getLong("BLOCKED"));
      assertEquals(2L, status.getJsonObject("counts").getLong("PENDING"));
      assertTrue(status.getLong("oldestPendingAgeMs") >= 0);
      JsonObject blocked = status.getJsonArray("blocked").getJsonObject(0);
      long seq = blocked.getLong("seq");
      assertTrue(blocked.getString("lastError").contains("503"));
      assertTrue(h.registry.scrape().contains("tradestore_outbox_blocked_total 1.0"));

      healthy.set(true);
      JsonObject requeued = h.request("trading.outbox.requeue", new JsonObject().put("seq", seq).put("reason", "consumer fixed"));
      assertEquals("PENDING", requeued.getString("status"));
      assertEquals(0, requeued.getInteger("attempts"));
      assertEquals("requeue", requeued.getJsonObject("headers").getJsonArray("operator").getJsonObject(0).getString("action"));
      await("A delivered", 10_000, () -> h.effects(d -> true).size() == 3);
      assertEquals(List.of(1, 2, 3), ns(h.effects(d -> true)));
    }
  }

  @Test
  void skippingABlockedEventReleasesTheLaterEventsOfItsAggregate() throws Exception {
    try (OutboxHarness h = new OutboxHarness(dir, Map.of("outbox.maxAttempts", 2))) {
      h.answer = e -> e.getJsonObject("payload").getInteger("n") == 1 ? 503 : 0;
      h.deploy();
      h.commit("A", 1, 3);
      await("blocked", 10_000, () -> uncheckedLong(h, "SELECT count(*) FROM outbox WHERE status = 'BLOCKED'") == 1);
      long seq = h.queryLong("SELECT seq FROM outbox WHERE status = 'BLOCKED'");
      JsonObject skipped = h.request("trading.outbox.skip", new JsonObject().put("seq", seq).put("reason", "poison"));
      assertEquals("SKIPPED", skipped.getString("status"));
      await("the rest", 10_000, () -> h.effects(d -> d.n() != 1).size() == 2);
      assertEquals(List.of(2, 3), ns(h.effects(d -> d.n() != 1)));
      assertEquals(2, h.raw.stream().filter(d -> d.n() == 1).count(), "the skipped event is not delivered again");
    }
  }

  @Test
  void aSubscriberThatRefusesTheEventItselfBlocksItOnTheFirstAttempt() throws Exception {
    try (OutboxHarness h = new OutboxHarness(dir, Map.of())) {
      h.answer = e -> 422;
      h.deploy();
      h.commit("A", 1, 1);
      await("blocked", 5_000, () -> uncheckedLong(h, "SELECT count(*) FROM outbox WHERE status = 'BLOCKED'") == 1);
      assertEquals(1, h.queryLong("SELECT attempts FROM outbox"));
      assertEquals(1, h.raw.size());
    }
  }

  @Test
  void operatorCommandsAnswerNotFoundAndConflictForEventsTheyCannotChange() throws Exception {
    try (OutboxHarness h = new OutboxHarness(dir, Map.of())) {
      h.deploy();
      h.commit("A", 1, 1);
      await("published", 5_000, () -> uncheckedLong(h, "SELECT count(*) FROM outbox WHERE status = 'PUBLISHED'") == 1);
      assertEquals(404, failureCode(h, "trading.outbox.requeue", new JsonObject().put("seq", 999)));
      assertEquals(409, failureCode(h, "trading.outbox.skip", new JsonObject().put("seq", 1)));
      assertEquals(400, failureCode(h, "trading.outbox.requeue", new JsonObject().put("seq", "one")));
      assertEquals(400, failureCode(h, "trading.outbox.replay", new JsonObject().put("fromSeq", 1)));
    }
  }

  @Test
  void replayResendsTheRetainedEventsFromASeqInOrder() throws Exception {
    try (OutboxHarness h = new OutboxHarness(dir, Map.of())) {
      h.deploy();
      for (int n = 1; n <= 5; n++) {
        h.commit("A", n, n);
        h.commit("B", n, n);
      }
      await("published", 10_000, () -> uncheckedLong(h, "SELECT count(*) FROM outbox WHERE status = 'PUBLISHED'") == 10);
      List<JsonObject> replayed = new java.util.concurrent.CopyOnWriteArrayList<>();
      h.vertx.eventBus().<JsonObject>consumer("late.consumer", m -> {
        replayed.add(m.body());
        m.reply("ok");
      }).completion().await();
      JsonObject result = h.request("trading.outbox.replay", new JsonObject().put("fromSeq", 4).put("address", "late.consumer"));
      assertEquals(7, result.getInteger("replayed"));
      assertEquals(List.of(4L, 5L, 6L, 7L, 8L, 9L, 10L), replayed.stream().map(e -> e.getLong("seq")).toList());

      replayed.clear();
      JsonObject onlyB = h.request("trading.outbox.replay", new JsonObject().put("fromSeq", 1).put("address", "late.consumer")
          .put("aggregateType", "order").put("aggregateId", "B").put("limit", 3));
      assertEquals(3, onlyB.getInteger("replayed"));
      assertEquals(List.of(1, 2, 3), replayed.stream().map(e -> e.getJsonObject("payload").getInteger("n")).toList());
      assertTrue(replayed.stream().allMatch(e -> "B".equals(e.getString("aggregateId"))));
      assertEquals(onlyB.getLong("lastSeq") + 1, onlyB.getLong("nextSeq"));
    }
  }

  @Test
  void replayOfOneAggregateReadsABoundedRangeOfSeqsAndSaysWhereToContinue() throws Exception {
    try (OutboxHarness h = new OutboxHarness(dir, Map.of())) {
      h.deploy();
      h.commit("B", 1, 1);
      h.commit("A", 1, 1);
      long window = OutboxRepository.AGGREGATE_SCAN_SEQS;
      long far = 1 + window + 5; // beyond the first request's range
      h.execute("INSERT INTO outbox (seq, event_id, aggregate_type, aggregate_id, event_type, payload, created_at,"
          + " next_attempt_at) VALUES (" + far + ", 'far-b', 'order', 'B', 'order.updated', '{\"n\":2}', 1, 1)");
      List<JsonObject> replayed = new java.util.concurrent.CopyOnWriteArrayList<>();
      h.vertx.eventBus().<JsonObject>consumer("late.consumer", m -> {
        replayed.add(m.body());
        m.reply("ok");
      }).completion().await();
      JsonObject onlyB = new JsonObject().put("address", "late.consumer")
          .put("aggregateType", "order").put("aggregateId", "B");

      JsonObject first = h.request("trading.outbox.replay", onlyB.copy().put("fromSeq", 1));
      assertEquals(1, first.getInteger("replayed"), first.encode());
      assertEquals(1 + window, first.getLong("nextSeq"), "the range ended before the newest event: continue there");

      JsonObject second = h.request("trading.outbox.replay", onlyB.copy().put("fromSeq", first.getLong("nextSeq")));
      assertEquals(1, second.getInteger("replayed"), second.encode());
      assertEquals(far, second.getLong("lastSeq"));
      assertNull(second.getLong("nextSeq"), "nothing is retained beyond this range");
      assertEquals(List.of(1, 2), replayed.stream().map(e -> e.getJsonObject("payload").getInteger("n")).toList());

      h.execute("DELETE FROM outbox WHERE seq < " + far); // retention took everything before it
      replayed.clear();
      JsonObject fromTheStart = h.request("trading.outbox.replay", onlyB.copy().put("fromSeq", 1));
      assertEquals(1, fromTheStart.getInteger("replayed"),
          "starts at the oldest retained seq: " + fromTheStart.encode());
      assertNull(fromTheStart.getLong("nextSeq"));
    }
  }

  @Test
  void purgingRemovesOnlyOldFinishedEventsAndSeqKeepsGrowing() throws Exception {
    try (OutboxHarness h = new OutboxHarness(dir, Map.of())) {
      long day = 86_400_000L;
      long now = System.currentTimeMillis();
      long old = now - 30 * day;
      String insert = "INSERT INTO outbox (event_id, aggregate_type, aggregate_id, event_type, payload, created_at, status,"
          + " next_attempt_at, published_at) VALUES ('%s', 'order', 'A', 'order.updated', '{}', %d, '%s', %d, %s)";
      String[][] rows = {
          {"pending", "PENDING", "null"}, {"inflight", "IN_FLIGHT", "null"}, {"blocked", "BLOCKED", "null"},
          {"old-published", "PUBLISHED", String.valueOf(old)}, {"old-skipped", "SKIPPED", String.valueOf(old)},
          {"new-published", "PUBLISHED", String.valueOf(now - day)}};
      for (String[] r : rows) {
        h.execute(String.format(insert, r[0], old, r[1], old, r[2]));
      }
      long maxSeq = h.queryLong("SELECT max(seq) FROM outbox");
      var settings = new io.tradestore.config.EngineConfig.Retention(false, 60, 7, 90, 90, 7, 30, 1000, null);
      var report = new io.tradestore.housekeeping.RetentionCleanup(h.vertx, h.store, settings,
          java.time.Clock.fixed(java.time.Instant.ofEpochMilli(now), java.time.ZoneOffset.UTC), (t, n) -> { }).run().await();
      assertEquals(2L, report.removed().get("outbox"));
      assertEquals(List.of("pending", "inflight", "blocked", "new-published"), eventIds(h));
      h.execute("DELETE FROM outbox WHERE event_id = 'new-published'"); // even the newest seq gone...
      h.commit("A", 1, 1);
      assertTrue(h.queryLong("SELECT max(seq) FROM outbox") > maxSeq, "...a seq is never issued twice");
    }
  }

  @Test
  void aBacklogOfOneHundredThousandEventsDrainsInPerAggregateOrderWithBoundedInFlight() throws Exception {
    try (OutboxHarness h = new OutboxHarness(dir, Map.of("outbox.subscribers", List.of("late.subscriber"),
        "outbox.maxAttempts", 1000, "outbox.backoffMaxMs", 200))) {
      for (int chunk = 0; chunk < 100; chunk++) { // 1,000 aggregates x 100 events, interleaved
        List<OutboxEvent> events = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
          int n = chunk * 1000 + i;
          events.add(OutboxEvent.of("order.updated", "order", "agg-" + (n % 1000), new JsonObject().put("n", n), now()));
        }
        h.commit(events);
      }
      h.deploy(); // the subscriber is down: nothing acknowledges yet
      Thread.sleep(300);
      int[] maxInFlight = {0};
      java.util.Map<String, Long> lastSeq = new java.util.concurrent.ConcurrentHashMap<>();
      AtomicInteger effects = new AtomicInteger();
      AtomicInteger outOfOrder = new AtomicInteger();
      java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
      h.vertx.eventBus().<JsonObject>consumer("late.subscriber", m -> {
        JsonObject e = m.body();
        if (seen.add(e.getString("eventId"))) {
          effects.incrementAndGet();
          Long previous = lastSeq.put(e.getString("aggregateId"), e.getLong("seq"));
          if (previous != null && previous > e.getLong("seq")) {
            outOfOrder.incrementAndGet();
          }
        }
        maxInFlight[0] = Math.max(maxInFlight[0], h.verticle.inFlight());
        m.reply("ok");
      }).completion().await();
      await("the backlog to drain", 120_000, () -> effects.get() == 100_000);
      assertEquals(0, outOfOrder.get());
      assertTrue(maxInFlight[0] <= h.config.outbox().maxInFlight(), "in flight at most maxInFlight, was " + maxInFlight[0]);
      await("every mark", 30_000, () -> uncheckedLong(h, "SELECT count(*) FROM outbox WHERE status = 'PUBLISHED'") == 100_000);
    }
  }

  @Test
  void aGracefulStopFinishesAndRecordsTheDeliveriesInFlight() throws Exception {
    try (OutboxHarness h = new OutboxHarness(dir, Map.of())) {
      h.vertx.eventBus().<JsonObject>consumer("slow.subscriber", m -> h.vertx.setTimer(300, id -> m.reply("ok")));
      h.deploy();
      h.undeploy();
      h.commit("A", 1, 1);
      // redeploy with a slow subscriber
      var settings = new io.tradestore.config.EngineConfig.Outbox(h.config.outbox().batchSize(),
          h.config.outbox().maxInFlight(), 10, 100, 2000, 10, 40, 400,
          List.of("slow.subscriber"), 60_000, false);
      OutboxVerticle verticle = new OutboxVerticle(h.store, settings, java.time.Clock.systemUTC(), h.registry);
      String id = h.vertx.deployVerticle(verticle).await();
      await("in flight", 5_000, () -> verticle.inFlight() == 1);
      h.vertx.undeploy(id).await();
      assertEquals("PUBLISHED", h.queryString("SELECT status FROM outbox"), "the stop waited for the delivery and its mark");
    }
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  private static List<String> eventIds(OutboxHarness h) throws Exception {
    List<String> ids = new ArrayList<>();
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + h.config.database().path());
         var st = c.createStatement(); var rs = st.executeQuery("SELECT event_id FROM outbox ORDER BY seq")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  private static int failureCode(OutboxHarness h, String address, JsonObject body) {
    try {
      h.vertx.eventBus().request(address, body).await();
      return 0;
    } catch (io.vertx.core.eventbus.ReplyException e) {
      return e.failureCode();
    }
  }

  private static long uncheckedLong(OutboxHarness h, String sql) {
    try {
      return h.queryLong(sql);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String uncheckedString(OutboxHarness h, String sql) {
    try {
      return h.queryString(sql);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
