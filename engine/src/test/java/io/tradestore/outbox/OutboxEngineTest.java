package io.tradestore.outbox;

import io.tradestore.support.Bus;
import io.tradestore.support.RunningEngine;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.tradestore.outbox.OutboxHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outbox inside a whole engine: it never slows the writers, and readiness tells an operator it is stuck. */
class OutboxEngineTest {
  @TempDir Path dir;

  private static JsonObject order(String id) {
    return new JsonObject().put("orderId", id).put("account", "desk").put("symbol", "BTCUSDT").put("side", "BUY")
        .put("type", "LIMIT").put("quantity", "1").put("price", "100");
  }

  @Test
  void eventsPublishedStraightFromTheBooksCommitsCarryTheSeqIdAndPayloadTheyWereStoredWith() throws Exception {
    try (RunningEngine running = RunningEngine.start(dir, Map.of("retention.atStartup", false))) {
      var vertx = running.engine.vertx();
      List<JsonObject> published = java.util.Collections.synchronizedList(new ArrayList<>());
      vertx.eventBus().<JsonObject>consumer("trading.events", m -> published.add(m.body())).completion().await();
      Bus bus = new Bus(vertx);
      List<Future<Object>> commands = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        commands.add(vertx.eventBus().request("trading.orders.place", order("o-" + i)).map(m -> m.body()));
      }
      Future.all(commands).await(10, TimeUnit.SECONDS);
      commands.clear();
      for (int i = 0; i < 30; i++) { // grouped in few commits, three events each, between other commands' events
        commands.add(vertx.eventBus().request("trading.fills.record", new JsonObject().put("fillId", "f-" + i)
            .put("orderId", "o-" + i).put("price", "100").put("quantity", "0.5")).map(m -> m.body()));
        if (i % 10 == 0) {
          bus.ok("trading.balances.update", new JsonObject().put("account", "desk").put("asset", "A" + i)
              .put("available", "1").put("locked", "0"));
        }
      }
      Future.all(commands).await(10, TimeUnit.SECONDS);
      long stored = running.queryLong("SELECT count(*) FROM outbox");
      await("every event", 10_000, () -> published.size() == stored);
      for (JsonObject envelope : List.copyOf(published)) {
        String row = running.queryString("SELECT event_id || ' ' || payload FROM outbox WHERE seq = " + envelope.getLong("seq"));
        assertEquals(envelope.getString("eventId") + " " + envelope.getJsonObject("payload").encode(), row,
            "the event published as seq " + envelope.getLong("seq"));
      }
    }
  }

  @Test
  void theFinishedGaugesFollowDeliveriesSkipsAndRetentionWithoutScanningTheHistoryAgain() throws Exception {
    try (RunningEngine running = RunningEngine.start(dir, Map.of("retention.atStartup", false,
        "outbox.subscribers", List.of("picky.subscriber"), "outbox.maxAttempts", 1))) {
      var vertx = running.engine.vertx();
      // refuses (4xx: blocked at once) the placement of "poison", acknowledges everything else
      vertx.eventBus().<JsonObject>consumer("picky.subscriber", m -> {
        if ("poison".equals(m.body().getString("aggregateId"))) {
          m.fail(422, "not for us");
        } else {
          m.reply("ok");
        }
      }).completion().await();
      Bus bus = new Bus(vertx);
      for (int i = 0; i < 6; i++) {
        bus.ok("trading.orders.place", order("o-" + i));
      }
      bus.ok("trading.orders.place", order("poison"));
      await("six published, one blocked", 10_000, () -> unchecked(running, "SELECT count(*) FROM outbox WHERE status = 'PUBLISHED'") == 6
          && unchecked(running, "SELECT count(*) FROM outbox WHERE status = 'BLOCKED'") == 1);
      await("the first count", 10_000, () -> gauge(running, "PUBLISHED") == 6); // scanned once, 1 s after start

      long blocked = running.queryLong("SELECT seq FROM outbox WHERE status = 'BLOCKED'");
      bus.ok("trading.outbox.skip", new JsonObject().put("seq", blocked).put("reason", "test"));
      for (int i = 6; i < 9; i++) {
        bus.ok("trading.orders.place", order("o-" + i));
      }
      await("nine published", 10_000, () -> unchecked(running, "SELECT count(*) FROM outbox WHERE status = 'PUBLISHED'") == 9);
      // four of them published long ago: retention removes exactly those
      running.execute("UPDATE outbox SET published_at = 1000 WHERE status = 'PUBLISHED' AND seq <= 4");
      running.engine.startup().housekeeping().runRetention().await(10, TimeUnit.SECONDS);
      assertEquals(5, running.queryLong("SELECT count(*) FROM outbox WHERE status = 'PUBLISHED'"));

      // without finished counts the status reads only the partial indexes; the gauges show what the engine kept
      bus.ok("trading.outbox.status", new JsonObject().put("finished", false));
      assertEquals(5, gauge(running, "PUBLISHED"));
      assertEquals(1, gauge(running, "SKIPPED"));
    }
  }

  private static long gauge(RunningEngine running, String status) {
    return (long) running.engine.registry().get("tradestore.outbox.events").tag("status", status).gauge().value();
  }

  private static long unchecked(RunningEngine running, String sql) {
    try {
      return running.queryLong(sql);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aSubscriberTakingFiveSecondsToReplyDoesNotSlowOrderWrites() throws Exception {
    try (RunningEngine running = RunningEngine.start(dir, Map.of("outbox.subscribers", List.of("slow.subscriber"),
        "outbox.deliveryTimeoutMs", 10_000))) {
      var vertx = running.engine.vertx();
      AtomicLong firstReplyAt = new AtomicLong(Long.MAX_VALUE);
      vertx.eventBus().consumer("slow.subscriber", m -> vertx.setTimer(5_000, id -> {
        firstReplyAt.compareAndSet(Long.MAX_VALUE, System.nanoTime());
        m.reply("ok");
      })).completion().await();
      Bus bus = new Bus(vertx);
      bus.ok("trading.orders.place", order("first")); // its event is now waiting on the slow subscriber
      Thread.sleep(200);
      long begin = System.nanoTime();
      for (int round = 0; round < 10; round++) {
        List<Future<Object>> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          batch.add(vertx.eventBus().request("trading.orders.place", order("o-" + round + "-" + i)).map(m -> m.body()));
        }
        Future.all(batch).await(10, TimeUnit.SECONDS);
      }
      long done = System.nanoTime();
      assertTrue(done < firstReplyAt.get(), "200 orders were committed while the subscriber had not answered yet");
      assertTrue((done - begin) / 1_000_000 < 5_000, "and did not wait for it: " + (done - begin) / 1_000_000 + " ms");
    }
  }

  @Test
  void readinessTurnsUnavailableWithABlockedEventAndRecoversAfterRequeue() throws Exception {
    try (RunningEngine running = RunningEngine.start(dir, Map.of("outbox.subscribers", List.of("picky.subscriber"),
        "outbox.maxAttempts", 2, "outbox.backoffInitialMs", 20, "outbox.backoffMaxMs", 50))) {
      var vertx = running.engine.vertx();
      AtomicBoolean accept = new AtomicBoolean(false);
      vertx.eventBus().consumer("picky.subscriber", m -> {
        if (accept.get()) {
          m.reply("ok");
        } else {
          m.fail(500, "risk service down");
        }
      }).completion().await();
      HttpClient http = HttpClient.newHttpClient();
      URI ready = URI.create("http://127.0.0.1:" + running.config.http().port() + "/health/ready");
      assertEquals(200, http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString()).statusCode());

      Bus bus = new Bus(vertx);
      bus.ok("trading.orders.place", order("o-1"));
      await("the event to block", 10_000, () -> bus.ok("trading.outbox.status", new JsonObject())
          .getJsonObject("counts").getLong("BLOCKED") == 1);
      HttpResponse<String> down = http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(503, down.statusCode(), down.body());
      assertTrue(down.body().contains("risk service down"), down.body());

      accept.set(true);
      long seq = bus.ok("trading.outbox.status", new JsonObject()).getJsonArray("blocked").getJsonObject(0).getLong("seq");
      bus.ok("trading.outbox.requeue", new JsonObject().put("seq", seq));
      await("readiness to recover", 10_000, () -> {
        try {
          return http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (Exception e) {
          return false;
        }
      });
    }
  }
}
