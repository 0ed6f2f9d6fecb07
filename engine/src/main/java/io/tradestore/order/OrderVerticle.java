package io.tradestore.order;

import io.tradestore.Addresses;
import io.tradestore.CommandFailure;
import io.tradestore.ErrorCode;
import io.tradestore.bus.CommandHandler;
import io.tradestore.bus.CommandVerticle;
import io.tradestore.bus.Request;
import io.tradestore.domain.book.BookResult.OrderResult;
import io.tradestore.domain.book.TradingCommand.ReportOrder;
import io.tradestore.domain.order.Order;
import io.tradestore.domain.order.OrderStatus;
import io.tradestore.metrics.CommandMetrics;
import io.tradestore.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.Map;

/**
 * Routes {@code trading.orders.*}: place, update and cancel are decided by the {@link OrderService} in the writer's
 * batches; get and list read from the readers.
 */
public final class OrderVerticle extends CommandVerticle {
  private final Store store;
  private final OrderService orders;
  private final Clock clock;

  public OrderVerticle(Store store, OrderService orders, Clock clock, CommandMetrics commands) {
    super(commands);
    this.store = store;
    this.orders = orders;
    this.clock = clock;
  }

  @Override
  protected Map<String, CommandHandler> routes() {
    return Map.of(
        Addresses.ORDERS_PLACE, this::place,
        Addresses.ORDERS_UPDATE, this::update,
        Addresses.ORDERS_CANCEL, this::cancel,
        Addresses.ORDERS_GET, this::get,
        Addresses.ORDERS_LIST, this::list);
  }

  private Future<JsonObject> place(Request r) {
    return orders.place(OrderRequests.place(r, clock.millis())).map(OrderVerticle::render);
  }

  private Future<JsonObject> update(Request r) {
    return orders.report(OrderRequests.report(r)).map(OrderVerticle::render);
  }

  private Future<JsonObject> cancel(Request r) {
    String orderId = r.text("orderId");
    return orders.report(new ReportOrder(orderId, OrderStatus.CANCELLED, null, null))
        .map(OrderVerticle::render);
  }

  private static JsonObject render(OrderResult result) {
    return OrderJson.of(result.order()).put("duplicate", result.duplicate());
  }

  private Future<JsonObject> get(Request r) {
    String orderId = r.optionalText("orderId");
    String externalOrderId = r.optionalText("externalOrderId");
    if (orderId == null && externalOrderId == null) {
      throw CommandFailure.invalid("orderId", "orderId or externalOrderId is required");
    }
    Future<Order> found = orderId != null
        ? OrderStore.find(store.readers(), orderId)
        : OrderStore.findByExternalId(store.readers(), externalOrderId);
    return found.compose(order -> order != null
        ? Future.succeededFuture(OrderJson.of(order))
        : Future.failedFuture(new CommandFailure(ErrorCode.NOT_FOUND,
            orderId != null ? "no order " + orderId : "no order with externalOrderId " + externalOrderId,
            orderId != null ? "orderId" : "externalOrderId")));
  }

  private Future<JsonObject> list(Request r) {
    return OrderStore.list(store.readers(), OrderRequests.list(r)).map(page -> page.toJson("orders", OrderJson::of));
  }
}
