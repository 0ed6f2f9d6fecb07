package io.tradestore.outbox;

import io.vertx.core.json.JsonObject;

import java.util.function.Supplier;

/**
 * One event to publish, written to the outbox in the same transaction as the change it describes.
 * {@code aggregateId} is the ordering key: events of one aggregate are delivered in commit order.
 *
 * <p>The payload may be given as a recipe ({@link #deferred}) over immutable values: the trading book's events are
 * built and encoded on a helper thread while the writer writes the tables' rows ({@link OutboxAppender#encodeAhead}),
 * instead of on the single writer's own time.
 */
public final class OutboxEvent {
  private final String eventId;
  private final String type;
  private final String aggregateType;
  private final String aggregateId;
  private final long occurredAt;
  private Supplier<JsonObject> recipe;
  private JsonObject payload;

  private OutboxEvent(String eventId, String type, String aggregateType, String aggregateId, JsonObject payload,
                      Supplier<JsonObject> recipe, long occurredAt) {
    this.eventId = eventId;
    this.type = type;
    this.aggregateType = aggregateType;
    this.aggregateId = aggregateId;
    this.payload = payload;
    this.recipe = recipe;
    this.occurredAt = occurredAt;
  }

  public static OutboxEvent of(String type, String aggregateType, String aggregateId, JsonObject payload, long occurredAt) {
    return new OutboxEvent(EventIds.next(), type, aggregateType, aggregateId, payload, null, occurredAt);
  }

  /** An event whose payload is built when first asked for; {@code payload} must only read immutable values. */
  public static OutboxEvent deferred(String type, String aggregateType, String aggregateId, Supplier<JsonObject> payload,
                                     long occurredAt) {
    return new OutboxEvent(EventIds.next(), type, aggregateType, aggregateId, null, payload, occurredAt);
  }

  public String eventId() {
    return eventId;
  }

  public String type() {
    return type;
  }

  public String aggregateType() {
    return aggregateType;
  }

  public String aggregateId() {
    return aggregateId;
  }

  public long occurredAt() {
    return occurredAt;
  }

  /** The payload, built on first use (on whichever thread asks first; later readers see it through the lock). */
  public synchronized JsonObject payload() {
    if (payload == null) {
      payload = recipe.get();
      recipe = null;
    }
    return payload;
  }
}
