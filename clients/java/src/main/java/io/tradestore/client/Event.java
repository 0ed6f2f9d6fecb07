package io.tradestore.client;

import io.vertx.core.json.JsonObject;

/**
 * A message on an address the client subscribed to. Engine events carry {@code eventId}, {@code seq} and
 * {@code type} in their headers; delivery is at least once, so a consumer dedupes on {@code eventId}.
 */
public record Event(String address, JsonObject body, JsonObject headers) {
  public String eventId() {
    return headers.getString("eventId");
  }

  public String type() {
    return headers.getString("type");
  }
}
