package io.tradestore;

/** Every event-bus address the engine serves or publishes on; docs/api.md documents each one. */
public final class Addresses {
  private Addresses() { }

  /** Engine identity and state: version, schema version, database settings. */
  public static final String ENGINE_INFO = "trading.engine.info";
}
