package io.tradestore.outbox;

import io.tradestore.store.StoreReaders;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Re-sends retained events from a seq, in seq order, to one address, each acknowledged before the next: a consumer
 * that was down catches up from the last seq it saw. Stops at the first failure and says where.
 */
final class OutboxReplay {
  private final EventBus bus;
  private final StoreReaders readers;
  private final int deliveryTimeoutMs;

  OutboxReplay(EventBus bus, StoreReaders readers, int deliveryTimeoutMs) {
    this.bus = bus;
    this.readers = readers;
    this.deliveryTimeoutMs = deliveryTimeoutMs;
  }

  Future<JsonObject> replay(OutboxRequests.Replay request) {
    return OutboxRepository.from(readers.pool(), request.fromSeq(), request.aggregateType(), request.aggregateId(),
        request.limit()).compose(batch -> {
          Promise<JsonObject> done = Promise.promise();
          replayFrom(batch.events(), 0, request.address(), done);
          return done.future().map(result -> result
              .put("fromSeq", request.fromSeq())
              .put("nextSeq", result.containsKey("failedSeq") ? null : batch.nextSeq()));
        });
  }

  private void replayFrom(List<ClaimedEvent> events, int index, String address, Promise<JsonObject> done) {
    if (index == events.size()) {
      done.complete(new JsonObject().put("replayed", index).put("lastSeq", index == 0 ? null : events.get(index - 1).seq()));
      return;
    }
    ClaimedEvent event = events.get(index);
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(deliveryTimeoutMs)
        .addHeader("eventId", event.eventId()).addHeader("seq", String.valueOf(event.seq()))
        .addHeader("type", event.type()).addHeader("replay", "true");
    bus.request(address, event.envelope(), options).onComplete(ack -> {
      if (ack.succeeded()) {
        replayFrom(events, index + 1, address, done);
      } else {
        done.complete(new JsonObject().put("replayed", index)
            .put("lastSeq", index == 0 ? null : events.get(index - 1).seq())
            .put("failedSeq", event.seq())
            .put("error", DeliveryFailure.classify(
                new DeliveryFailure.Cause(address, ack.cause()), deliveryTimeoutMs).message()));
      }
    });
  }
}
