package io.tradestore.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Runs an asynchronous action on a Vert.x context from a test thread and waits for its result. */
public final class OnContext {
  private OnContext() { }

  /** Starts {@code action} on a context of {@code vertx} (as a verticle would) and waits up to 10 s for it. */
  public static <T> T await(Vertx vertx, Supplier<Future<T>> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    vertx.runOnContext(v -> action.get().onComplete(ar -> {
      if (ar.succeeded()) {
        result.complete(ar.result());
      } else {
        result.completeExceptionally(ar.cause());
      }
    }));
    return result.get(10, TimeUnit.SECONDS);
  }
}
