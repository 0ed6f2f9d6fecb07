package io.tradestore.startup;

import io.tradestore.Addresses;
import io.tradestore.Times;
import io.tradestore.store.CommandFailures;
import io.tradestore.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/** Answers {@code trading.engine.info}: which engine this is and the state of its database. */
public final class EngineInfoVerticle extends VerticleBase {
  private final Store store;
  private final Instant startedAt;

  public EngineInfoVerticle(Store store, Instant startedAt) {
    this.store = store;
    this.startedAt = startedAt;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().consumer(Addresses.ENGINE_INFO, this::info).completion();
  }

  private void info(Message<Object> message) {
    store.describe().onComplete(described -> {
      if (described.failed()) {
        CommandFailures.of(described.cause()).replyTo(message);
        return;
      }
      message.reply(new JsonObject()
          .put("engine", "tradestore")
          .put("version", EngineVersion.get())
          .put("startedAt", Times.iso(startedAt.toEpochMilli()))
          .put("uptimeSeconds", Instant.now().getEpochSecond() - startedAt.getEpochSecond())
          .put("transport", Engine.transportName(vertx))
          .put("database", described.result()));
    });
  }
}
