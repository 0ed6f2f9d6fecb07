package io.tradestore.importer;

import io.tradestore.client.TradestoreException;
import io.tradestore.config.EngineConfig;
import io.tradestore.startup.Engine;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A stopped database, fed through an engine this process starts on it: the engine's own writer, validation,
 * idempotency and outbox, as for live messages. The engine's lock refuses a database a running engine holds.
 */
public final class LocalEngineSink implements CommandSink {
  private static final DeliveryOptions DELIVERY = new DeliveryOptions().setSendTimeout(60_000);

  private final Engine engine;
  private final String target;

  private LocalEngineSink(Engine engine, String target) {
    this.engine = engine;
    this.target = target;
  }

  /** {@code config} as the import verb shapes it: listeners on loopback ports of their own, no retention run. */
  public static LocalEngineSink start(EngineConfig config) {
    return new LocalEngineSink(Engine.start(config), "the database " + config.database().path().toAbsolutePath());
  }

  @Override
  public CompletableFuture<JsonObject> request(String address, JsonObject body) {
    CompletableFuture<JsonObject> reply = new CompletableFuture<>();
    engine.vertx().eventBus().<JsonObject>request(address, body, DELIVERY).onComplete(r -> {
      if (r.succeeded()) {
        reply.complete(r.result().body());
      } else if (r.cause() instanceof ReplyException failure) {
        reply.completeExceptionally(TradestoreException.fromFailure(failure.failureCode(),
            failure.failureType().name(), failure.getMessage(), address));
      } else {
        reply.completeExceptionally(r.cause());
      }
    });
    return reply;
  }

  @Override
  public String describe() {
    return target;
  }

  @Override
  public void close() {
    try {
      engine.stop().await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the import's engine did not stop cleanly: " + e.getMessage(), e);
    }
  }
}
