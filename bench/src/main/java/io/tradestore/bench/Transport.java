package io.tradestore.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.tradestore.client.ClientOptions;
import io.tradestore.client.TradestoreClient;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/** One client connection of a load driver. Used only from the context that opened it. */
interface Transport {
  /** Sends a request; {@code done} gets null on success, else the failure's message. */
  void request(String address, JsonObject body, Consumer<String> done);

  Future<Void> close();

  /** In-process: the Vert.x event bus of the engine itself (one "connection" = one sending context). */
  static Transport eventBus(Vertx vertx) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(REPLY_TIMEOUT_MS);
    return new Transport() {
      @Override
      public void request(String address, JsonObject body, Consumer<String> done) {
        vertx.eventBus().request(address, body, options).onComplete(r -> done.accept(r.succeeded() ? null : String.valueOf(r.cause().getMessage())));
      }

      @Override
      public Future<Void> close() {
        return Future.succeededFuture();
      }
    };
  }

  /**
   * Through the engine's TCP bridge with the repository's Java client, as a JVM adapter in another process would
   * speak to it: requests pipelined on one connection, each answered (or failed by its timeout) through its reply
   * address. Opened on a Vert.x context, replies come back on that context.
   */
  static Future<Transport> bridge(Vertx vertx, String host, int port) {
    return bridge(vertx, host, port, REPLY_TIMEOUT_MS);
  }

  static Future<Transport> bridge(Vertx vertx, String host, int port, long replyTimeoutMs) {
    // a measured run never reconnects behind the driver's back, nor pings on its connections
    ClientOptions options = ClientOptions.of(host, port).reconnect(false).pingInterval(null)
        .requestTimeout(Duration.ofMillis(replyTimeoutMs));
    return Future.fromCompletionStage(TradestoreClient.connect(vertx, options), vertx.getOrCreateContext())
        .map(Bridge::new);
  }

  /**
   * A request unanswered this long counts as failed, on either transport; well inside the minute the driver waits
   * for a run's last replies, so a lost reply is an error in the report, not a run that never ends.
   */
  long REPLY_TIMEOUT_MS = 30_000;

  final class Bridge implements Transport {
    private final TradestoreClient client;

    Bridge(TradestoreClient client) {
      this.client = client;
    }

    @Override
    public void request(String address, JsonObject body, Consumer<String> done) {
      client.request(address, body).whenComplete((reply, failure) -> done.accept(failure == null ? null
          : String.valueOf((failure instanceof CompletionException ? failure.getCause() : failure).getMessage())));
    }

    @Override
    public Future<Void> close() {
      return Future.fromCompletionStage(client.closeAsync());
    }
  }
}
