package io.tradestore.order;

import io.tradestore.Addresses;
import io.tradestore.CommandFailure;
import io.tradestore.ErrorCode;
import io.tradestore.bus.Replies;
import io.tradestore.bus.Request;
import io.tradestore.domain.Accounts;
import io.tradestore.domain.Side;
import io.tradestore.domain.book.BookResult.OrderResult;
import io.tradestore.domain.book.TradingCommand.PlaceOrder;
import io.tradestore.domain.book.TradingCommand.ReportOrder;
import io.tradestore.domain.order.Order.OrderType;
import io.tradestore.domain.order.Order;
import io.tradestore.domain.order.OrderStatus;
import io.tradestore.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Routes {@code trading.orders.*}: place, update and cancel are decided by the {@link OrderService} in the writer's
 * batches; get and list read from the readers.
 */
public final class OrderVerticle extends VerticleBase {
  private final Store store;
  private final OrderService orders;
  private final Clock clock;

  public OrderVerticle(Store store, OrderService orders, Clock clock) {
    this.store = store;
    this.orders = orders;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    return Future.all(List.of(
        Replies.bind(bus, Addresses.ORDERS_PLACE, this::place),
        Replies.bind(bus, Addresses.ORDERS_UPDATE, this::update),
        Replies.bind(bus, Addresses.ORDERS_CANCEL, this::cancel),
        Replies.bind(bus, Addresses.ORDERS_GET, this::get),
        Replies.bind(bus, Addresses.ORDERS_LIST, this::list)));
  }

  private Future<JsonObject> place(Request r) {
    Order candidate = parseNewOrder(r, clock.millis());
    return orders.place(new PlaceOrder(candidate)).map(OrderVerticle::render);
  }

  private Future<JsonObject> update(Request r) {
    String orderId = r.text("orderId");
    OrderStatus reported = r.enumValue("status", OrderStatus.class);
    String externalOrderId = null;
    String reason = null;
    switch (reported) {
      case ACCEPTED -> externalOrderId = r.text("externalOrderId");
      case REJECTED -> reason = Objects.requireNonNullElse(r.optionalNote("reason"), "");
      case CANCELLED, EXPIRED -> { }
      default -> throw CommandFailure.invalid("status",
          "status must be ACCEPTED, REJECTED, CANCELLED or EXPIRED (fills report PARTIALLY_FILLED and FILLED)");
    }
    if (reported == OrderStatus.REJECTED && reason.isBlank()) {
      throw CommandFailure.invalid("reason", "reason is required with status REJECTED");
    }
    return orders.report(new ReportOrder(orderId, reported, externalOrderId, reason))
        .map(OrderVerticle::render);
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
    String account = r.optionalText("account");
    String symbol = r.optionalText("symbol");
    OrderStatus status = r.optionalEnum("status", OrderStatus.class);
    int limit = r.limit("limit", 100, 1000);
    Long cursor = r.optionalCursor("cursor");
    return OrderStore.list(store.readers(), account, symbol, status, cursor, limit)
        .map(page -> page.toJson("orders", OrderJson::of));
  }

  private static Order parseNewOrder(Request r, long now) {
    String orderId = r.text("orderId");
    String account = r.textOr("account", Accounts.DEFAULT);
    String symbol = r.text("symbol");
    Side side = r.enumValue("side", Side.class);
    OrderType type = r.enumValue("type", OrderType.class);
    BigDecimal quantity = r.positiveDecimal("quantity");
    BigDecimal price = null;
    if (type == OrderType.LIMIT) {
      if (!r.has("price")) {
        throw CommandFailure.invalid("price", "price is required for a LIMIT order");
      }
      price = r.positiveDecimal("price");
    } else if (r.has("price")) {
      throw CommandFailure.invalid("price", "a MARKET order has no price");
    }
    String quoteId = r.optionalText("quoteId");
    return new Order(orderId, null, account, symbol, side, type, quantity, price, quoteId, OrderStatus.NEW,
        BigDecimal.ZERO, BigDecimal.ZERO, null, now, now);
  }

}
