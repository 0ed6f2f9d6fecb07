package io.tradestore.client;

import java.util.function.Consumer;

/** A handler registered for an address; {@link #close()} removes it (and unregisters the address with the last). */
public final class Subscription implements AutoCloseable {
  private final TradestoreClient client;
  private final String address;
  final Consumer<Event> handler;

  Subscription(TradestoreClient client, String address, Consumer<Event> handler) {
    this.client = client;
    this.address = address;
    this.handler = handler;
  }

  public String address() {
    return address;
  }

  @Override
  public void close() {
    client.unsubscribe(this);
  }
}
