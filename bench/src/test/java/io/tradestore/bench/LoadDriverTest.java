package io.tradestore.bench;

import io.vertx.core.Future;
import io.tradestore.client.BridgeFrames;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

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

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aBridgeReplyThatNeverComesIsCountedAsAnErrorAndTheRunStillEnds() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      // a bridge that answers every request but the third
      NetServer server = fakeBridge(vertx, request -> request != 3);
      LoadDriver.Settings settings = new LoadDriver.Settings("closed", Workload.Kind.MIX, 1, 4, 0, 1_500, 0,
          UUID.randomUUID().toString().substring(0, 8));

      RunResult result = LoadDriver.run(vertx, settings,
          () -> Transport.bridge(vertx, "127.0.0.1", server.actualPort(), 300), null);

      assertEquals(1, result.errors(), "the swallowed request, failed by the reply timeout");
      assertTrue(result.firstError().contains("no reply within 300 ms"), result.firstError());
      assertTrue(result.commands() > 10, "the other requests went on: " + result.commands());
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aBridgeConnectionOutlivesGarbageCollection() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      NetServer server = fakeBridge(vertx, request -> true);
      Transport transport = Transport.bridge(vertx, "127.0.0.1", server.actualPort(), 5_000).await();
      // Vert.x closes a NetClient that nobody references any more, 30 s after the collector finds it, and its
      // connections with it: the transport must hold its client (the bench lost whole connections this way)
      System.gc();
      Thread.sleep(31_000);
      CompletableFuture<String> answer = new CompletableFuture<>();
      vertx.runOnContext(v -> transport.request("trading.quotes.submit", new JsonObject(),
          failure -> answer.complete(failure == null ? "answered" : failure)));
      assertEquals("answered", answer.get(10, TimeUnit.SECONDS));
    } finally {
      vertx.close().await();
    }
  }

  /** A bridge in the bridge's framing: answers the n-th {@code send} (from 1) with an empty message when told to. */
  private static NetServer fakeBridge(Vertx vertx, IntPredicate answers) {
    AtomicInteger requests = new AtomicInteger();
    return vertx.createNetServer().connectHandler(socket -> socket.handler(BridgeFrames.parser(1 << 20, send -> {
      if (answers.test(requests.incrementAndGet())) {
        socket.write(BridgeFrames.encode(new JsonObject().put("type", "message").put("address", send.getString("replyAddress"))
            .put("body", new JsonObject())));
      }
    }, size -> socket.close()))).listen(0, "127.0.0.1").await();
  }
}
