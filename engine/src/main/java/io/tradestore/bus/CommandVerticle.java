package io.tradestore.bus;

import io.tradestore.metrics.CommandMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.List;
import java.util.Map;

/**
 * A verticle that serves command addresses: it names its routes, and they are bound through {@link Replies} on the
 * engine's {@link CommandMetrics} when it is deployed. One that must do more at start (a timer, a dispatcher)
 * overrides {@link #start()} around {@link #bindRoutes()}.
 */
public abstract class CommandVerticle extends VerticleBase {
  private final CommandMetrics metrics;

  protected CommandVerticle(CommandMetrics metrics) {
    this.metrics = metrics;
  }

  /** Each address this verticle serves, with its handler. */
  protected abstract Map<String, CommandHandler> routes();

  @Override
  public Future<?> start() {
    return bindRoutes();
  }

  /** Binds every route; completes once all consumers are registered. */
  protected final Future<?> bindRoutes() {
    Replies replies = new Replies(vertx.eventBus(), metrics);
    List<Future<Void>> bound = routes().entrySet().stream()
        .map(route -> replies.bind(route.getKey(), route.getValue()))
        .toList();
    return Future.all(bound);
  }
}
