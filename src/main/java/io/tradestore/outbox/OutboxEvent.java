package io.tradestore.outbox;

import io.vertx.core.json.JsonObject;

/**
 * One event to publish, written to the outbox in the same transaction as the change it describes.
 * {@code aggregateId} is the ordering key: events of one aggregate are delivered in commit order.
 */
public record OutboxEvent(String eventId, String type, String aggregateType, String aggregateId, JsonObject payload, long occurredAt) {

  public static OutboxEvent of(String type, String aggregateType, String aggregateId, JsonObject payload, long occurredAt) {
    return new OutboxEvent(EventIds.next(), type, aggregateType, aggregateId, payload, occurredAt);
  }
}
