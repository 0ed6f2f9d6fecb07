package io.tradestore.importer;

import io.tradestore.client.ClientOptions;
import io.tradestore.client.TradestoreClient;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** A running engine, through its TCP bridge with the repository's Java client (a token and TLS when asked). */
public final class BridgeSink implements CommandSink {
  private final TradestoreClient client;
  private final String target;

  private BridgeSink(TradestoreClient client, String target) {
    this.client = client;
    this.target = target;
  }

  public static BridgeSink connect(ClientOptions options) {
    try {
      return new BridgeSink(TradestoreClient.connect(options).join(),
          "the engine at " + options.host() + ":" + options.port());
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  @Override
  public CompletableFuture<JsonObject> request(String address, JsonObject body) {
    return client.request(address, body);
  }

  @Override
  public String describe() {
    return target;
  }

  @Override
  public void close() {
    client.close();
  }
}
