package io.tradestore.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadDriverTest {

  /** Answers every request at once: what the open loop then measures is only its own lateness in sending. */
  private static Transport answeringAtOnce() {
    return new Transport() {
      @Override
      public void request(String address, JsonObject body, Consumer<String> done) {
        done.accept(null);
      }

      @Override
      public Future<Void> close() {
        return Future.succeededFuture();
      }
    };
  }

  @Test
  void theFirstRequestFallsDueAtTheStart() {
    assertEquals(0, LoadDriver.dueAt(0, 10));
    assertEquals(100_000_000L, LoadDriver.dueAt(1, 10));
  }

  @Test
  void anOpenLoopRequestIsSentWhenItFallsDueNotOneIntervalLater() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      // 2 connections at 10 requests/s each: one every 100 ms per connection, the bench's idle run's pace
      LoadDriver.Settings settings = new LoadDriver.Settings("open 20/s", Workload.Kind.MIX, 2, 4, 0, 1_500, 20,
          UUID.randomUUID().toString().substring(0, 8));
      RunResult result = LoadDriver.run(vertx, settings, () -> Future.succeededFuture(answeringAtOnce()), null);
      assertEquals(0, result.errors());
      assertTrue(result.commands() >= 25 && result.commands() <= 35, "about 30 requests in 1.5 s at 20/s: " + result.commands());
      // answered at once, so the latency is the sender's delay after the due time: a 1 ms tick, not a 100 ms interval
      assertTrue(result.percentileMillis(50) < 50, "p50 " + result.percentileMillis(50) + " ms");
    } finally {
      vertx.close().await();
    }
  }
}
