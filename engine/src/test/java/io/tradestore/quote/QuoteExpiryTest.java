package io.tradestore.quote;

import io.tradestore.support.Bus;
import io.tradestore.support.Db;
import io.tradestore.support.RunningEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuoteExpiryTest {
  @TempDir Path dir;

  private static JsonObject quote(String id, Instant expiresAt) {
    return new JsonObject().put("quoteId", id).put("symbol", "ETHUSDT").put("bidPrice", "100").put("bidQuantity", "1")
        .put("askPrice", "101").put("askQuantity", "1").put("expiresAt", expiresAt.toString());
  }

  private static void awaitStatus(Db db, String quoteId, String status) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    while (!status.equals(db.rows("SELECT status FROM quotes WHERE quote_id = ?", quoteId).get(0).get("status"))) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(quoteId + " never became " + status);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void aQuoteIsMarkedExpiredPromptlyWhenItsTimeComesWithItsEvent() throws Exception {
    try (RunningEngine running = RunningEngine.start(dir)) {
      Bus bus = new Bus(running.engine.vertx());
      Db db = Db.of(running);
      bus.ok("trading.quotes.submit", quote("later", Instant.now().plusSeconds(3600)));
      Instant soon = Instant.now().plusMillis(400);
      bus.ok("trading.quotes.submit", quote("soon", soon)); // earlier than the timer already set for "later"
      awaitStatus(db, "soon", "EXPIRED");
      long expiredAt = (Long) db.rows("SELECT updated_at FROM quotes WHERE quote_id = 'soon'").get(0).get("updated_at");
      assertTrue(expiredAt >= soon.toEpochMilli() && expiredAt < soon.toEpochMilli() + 1_000,
          "marked within a second of its expiry, by a timer, not a sweep: " + (expiredAt - soon.toEpochMilli()) + " ms");
      List<Map<String, Object>> events = db.rows(
          "SELECT event_type, payload FROM outbox_audit WHERE aggregate_id = 'soon' ORDER BY seq");
      assertEquals(List.of("quote.submitted", "quote.expired"), events.stream().map(e -> e.get("event_type")).toList());
      assertEquals("EXPIRED", new JsonObject((String) events.get(1).get("payload")).getString("status"));
      assertEquals("ACTIVE", db.rows("SELECT status FROM quotes WHERE quote_id = 'later'").get(0).get("status"));
    }
  }

  @Test
  void quotesThatExpiredWhileTheEngineWasDownAreMarkedAtStart() throws Exception {
    try (RunningEngine first = RunningEngine.start(dir)) {
      new Bus(first.engine.vertx()).ok("trading.quotes.submit", quote("overnight", Instant.now().plusMillis(300)));
      first.engine.stop().await(); // stopped before the quote's expiry
    }
    Thread.sleep(400);
    try (RunningEngine second = RunningEngine.start(dir)) {
      awaitStatus(new Db(second.config.database().path()), "overnight", "EXPIRED");
    }
  }
}
