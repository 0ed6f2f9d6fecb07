package io.tradestore.outbox;

import io.tradestore.Times;
import io.vertx.core.json.JsonObject;

/** An outbox row claimed for delivery; {@code attempts} counts this attempt. */
public record ClaimedEvent(long seq, String eventId, String type, String aggregateType, String aggregateId,
                           String payload, long createdAt, int attempts) {

  /** The ordering key: events with the same key are delivered one after another, in seq order. */
  public String aggregateKey() {
    return aggregateType + "/" + aggregateId;
  }

  /** The envelope consumers receive: {@code {eventId, seq, type, aggregateType, aggregateId, occurredAt, payload}}. */
  public JsonObject envelope() {
    return new JsonObject()
        .put("eventId", eventId)
        .put("seq", seq)
        .put("type", type)
        .put("aggregateType", aggregateType)
        .put("aggregateId", aggregateId)
        .put("occurredAt", Times.iso(createdAt))
        .put("payload", new JsonObject(payload));
  }
}
