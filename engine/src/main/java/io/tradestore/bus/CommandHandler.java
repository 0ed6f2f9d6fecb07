package io.tradestore.bus;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** Answers the request sent to one address: the reply body, or a failure {@link Replies} turns into a coded error. */
@FunctionalInterface
public interface CommandHandler {
  Future<JsonObject> handle(Request request);
}
