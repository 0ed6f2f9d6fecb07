package io.tradestore.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tradestore.Addresses;
import io.tradestore.bridge.BridgeVerticle;
import io.tradestore.config.EngineConfig;
import io.tradestore.startup.Engine;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The transport ceiling: the engine's own {@link BridgeVerticle} (same limits, same permitted addresses) in
 * front of handlers that answer at once and store nothing. The canned reply is the size of the engine's reply
 * to a fill (fill + order + position, about 1 KB), so the bytes on the wire match.
 */
final class NoopBridge implements AutoCloseable {
  static final JsonObject REPLY = new JsonObject()
      .put("fill", new JsonObject().put("fillId", "run-0-f1").put("orderId", "run-0-o1").put("account", "acct-0")
          .put("symbol", "SYM00USDT").put("side", "BUY").put("price", "100.25").put("quantity", "2").put("fee", "0.01")
          .put("feeAsset", "USDT").put("liquidity", "TAKER").put("tradeId", "run-0-t1").put("late", false)
          .put("executedAt", "2026-11-23T10:15:32.004Z").put("recordedAt", "2026-11-23T10:15:32.004Z"))
      .put("order", new JsonObject().put("orderId", "run-0-o1").put("externalOrderId", null).put("account", "acct-0")
          .put("symbol", "SYM00USDT").put("side", "BUY").put("type", "LIMIT").put("quantity", "10").put("price", "101")
          .put("quoteId", null).put("status", "PARTIALLY_FILLED").put("filledQuantity", "2").put("remainingQuantity", "8")
          .put("averagePrice", "100.25").put("rejectReason", null).put("createdAt", "2026-11-23T10:15:31.004Z")
          .put("updatedAt", "2026-11-23T10:15:32.004Z"))
      .put("position", new JsonObject().put("account", "acct-0").put("symbol", "SYM00USDT").put("quantity", "2")
          .put("averagePrice", "100.25").put("realizedPnl", "0").put("markPrice", "100.275").put("unrealizedPnl", "0.05")
          .put("fees", new JsonObject().put("USDT", "0.01")).put("fillCount", 1).put("lastFillId", "run-0-f1")
          .put("updatedAt", "2026-11-23T10:15:32.004Z"))
      .put("duplicate", false);

  private final Vertx vertx;

  private NoopBridge(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Same bridge options and the same event-loop transport as the engine of {@code engine}, on {@code port}. */
  static NoopBridge start(EngineConfig engine, int port) {
    Vertx vertx = Vertx.builder().withTransport(Engine.transport(engine.vertx())).build();
    BridgeVerticle bridge = new BridgeVerticle(engine.bridge().onPort(port), null, new SimpleMeterRegistry());
    vertx.deployVerticle(new Handlers()).compose(id -> vertx.deployVerticle(bridge)).await();
    return new NoopBridge(vertx);
  }

  @Override
  public void close() {
    vertx.close().await();
  }

  private static final class Handlers extends VerticleBase {
    @Override
    public Future<?> start() {
      return Future.all(List.of(Addresses.QUOTES_SUBMIT, Addresses.ORDERS_PLACE, Addresses.FILLS_RECORD).stream()
          .map(address -> vertx.eventBus().consumer(address, message -> message.reply(REPLY)).completion())
          .toList());
    }
  }
}
