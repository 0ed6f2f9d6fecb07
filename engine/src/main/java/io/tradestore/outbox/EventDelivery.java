package io.tradestore.outbox;

import io.tradestore.Addresses;
import io.tradestore.config.EngineConfig;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One attempt at delivering one event: published on {@code trading.events} and on its type's address, and sent to
 * every configured subscriber, whose replies are the acknowledgement. Succeeds when every subscriber acknowledged
 * (at once when there are none); fails with a {@link DeliveryFailure.Cause} naming the first that did not.
 */
final class EventDelivery {
  private final EventBus bus;
  private final EngineConfig.Outbox settings;

  EventDelivery(EventBus bus, EngineConfig.Outbox settings) {
    this.bus = bus;
    this.settings = settings;
  }

  Future<Void> deliver(ClaimedEvent event) {
    try {
      return send(event);
    } catch (RuntimeException e) {
      // a payload that is not JSON (edited by hand?) or a bus that is closing: a failed attempt like any other
      return Future.failedFuture(e);
    }
  }

  private Future<Void> send(ClaimedEvent event) {
    JsonObject envelope = event.envelope();
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(settings.deliveryTimeoutMs())
        .addHeader("eventId", event.eventId())
        .addHeader("seq", String.valueOf(event.seq()))
        .addHeader("type", event.type())
        .addHeader("attempt", String.valueOf(event.attempts()));
    bus.publish(Addresses.EVENTS, envelope, options);
    bus.publish(Addresses.EVENTS + "." + event.type(), envelope, options);
    if (settings.subscribers().isEmpty()) {
      return Future.succeededFuture();
    }
    List<Future<?>> acks = new ArrayList<>();
    for (String subscriber : settings.subscribers()) {
      acks.add(bus.request(subscriber, envelope, options)
          .recover(err -> Future.failedFuture(new DeliveryFailure.Cause(subscriber, err))));
    }
    return Future.all(acks).mapEmpty();
  }
}
