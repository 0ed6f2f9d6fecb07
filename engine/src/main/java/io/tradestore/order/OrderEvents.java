package io.tradestore.order;

import io.tradestore.domain.order.Order;
import io.tradestore.domain.order.OrderStatus;
import io.tradestore.outbox.OutboxEvent;
import io.vertx.core.json.JsonObject;

/** The outbox events of an order; their aggregate is the order, so its fills and status changes stay in order. */
public final class OrderEvents {
  private OrderEvents() { }

  /**
   * An event of {@code type} with the order as it is now, and its {@code previousStatus} when it changed. The
   * payload is built when first needed (on the writer's helper thread): an order is immutable.
   */
  public static OutboxEvent of(String type, Order order, OrderStatus previous) {
    return OutboxEvent.deferred(type, "order", order.orderId(), () -> {
      JsonObject payload = OrderJson.of(order);
      if (previous != null) {
        payload.put("previousStatus", previous.name());
      }
      return payload;
    }, order.updatedAt());
  }
}
