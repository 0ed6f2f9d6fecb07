package io.tradestore.importer;

import io.vertx.core.json.JsonObject;

import java.util.concurrent.CompletableFuture;

/**
 * Where imported commands go: a running engine through its bridge, or an engine this process starts on a stopped
 * database. A failure completes with the client's {@link io.tradestore.client.TradestoreException}, coded as the
 * engine codes it, in either case.
 */
public interface CommandSink extends AutoCloseable {
  CompletableFuture<JsonObject> request(String address, JsonObject body);

  /** Where the commands go, for the summary. */
  String describe();

  @Override
  void close();
}
