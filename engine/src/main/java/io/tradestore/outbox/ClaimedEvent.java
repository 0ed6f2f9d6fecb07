package io.tradestore.outbox;

import io.tradestore.Times;
import io.vertx.core.json.JsonObject;

/**
 * An outbox event taken for delivery; {@code attempts} counts this attempt. {@code decoded} is the payload as the
 * engine built it when the event comes straight from its commit ({@link OutboxFeed}), null when read from the table
 * (then the text is parsed at delivery, so a row whose payload is not JSON fails its delivery, not the dispatcher).
 */
public record ClaimedEvent(long seq, String eventId, String type, String aggregateType, String aggregateId,
                           String payload, JsonObject decoded, long createdAt, int attempts) {

  /** An event just committed at {@code seq}, with the text written for it: first attempt. */
  static ClaimedEvent committed(long seq, OutboxEvent event, String payloadText) {
    return new ClaimedEvent(seq, event.eventId(), event.type(), event.aggregateType(), event.aggregateId(),
        payloadText, event.payload(), event.occurredAt(), 1);
  }

  /** The ordering key: events with the same key are delivered one after another, in seq order. */
  public String aggregateKey() {
    return aggregateType + "/" + aggregateId;
  }

  /**
   * The envelope consumers receive: {@code {eventId, seq, type, aggregateType, aggregateId, occurredAt, payload}}.
   * The event bus copies it for each local consumer, so the payload is never shared with one.
   */
  public JsonObject envelope() {
    return new JsonObject()
        .put("eventId", eventId)
        .put("seq", seq)
        .put("type", type)
        .put("aggregateType", aggregateType)
        .put("aggregateId", aggregateId)
        .put("occurredAt", Times.iso(createdAt))
        .put("payload", decoded != null ? decoded : new JsonObject(payload));
  }
}
