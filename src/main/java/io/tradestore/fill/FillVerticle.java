package io.tradestore.fill;

import io.tradestore.Addresses;
import io.tradestore.CommandFailure;
import io.tradestore.ErrorCode;
import io.tradestore.Replies;
import io.tradestore.Request;
import io.tradestore.fill.Fill.Liquidity;
import io.tradestore.order.Order;
import io.tradestore.order.OrderJson;
import io.tradestore.order.OrderStateMachine;
import io.tradestore.order.OrderStateMachine.Outcome;
import io.tradestore.order.OrderStore;
import io.tradestore.order.OrderVerticle;
import io.tradestore.outbox.EventTypes;
import io.tradestore.outbox.OutboxAppender;
import io.tradestore.outbox.OutboxEvent;
import io.tradestore.position.Position;
import io.tradestore.position.PositionJson;
import io.tradestore.position.PositionLedger;
import io.tradestore.position.PositionStore;
import io.tradestore.quote.MarkPrices;
import io.tradestore.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;

/**
 * Routes {@code trading.fills.*}. Recording a fill is one transaction: insert the fill, advance the order,
 * update the position, write the events; the reply carries the order's new state and the position.
 */
public final class FillVerticle extends VerticleBase {
  private final Store store;
  private final MarkPrices marks;
  private final Clock clock;

  public FillVerticle(Store store, MarkPrices marks, Clock clock) {
    this.store = store;
    this.marks = marks;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    return Future.all(
        bus.consumer(Addresses.FILLS_RECORD, Replies.serve(Addresses.FILLS_RECORD, this::record)).completion(),
        bus.consumer(Addresses.FILLS_LIST, Replies.serve(Addresses.FILLS_LIST, this::list)).completion());
  }

  /** What the reply needs: the fill, the order after it, the position after it. */
  private record Recorded(Fill fill, Order order, Position position, String positionFillId, long positionUpdatedAt,
                          boolean duplicate) { }

  /** A fill request before the order is known: account, symbol and side come from the order. */
  private record FillRequest(String fillId, String orderId, BigDecimal price, BigDecimal quantity, BigDecimal fee,
                             String feeAsset, Liquidity liquidity, String tradeId, Long executedAt) { }

  private Future<JsonObject> record(Request r) {
    FillRequest request = parse(r);
    long now = clock.millis();
    return store.writer().submit(tx -> record(tx, request, now)).map(done -> new JsonObject()
        .put("fill", done.fill().toJson())
        .put("order", OrderJson.of(done.order()))
        .put("position", PositionJson.of(done.position(), marks.markAt(done.position().symbol(), clock.millis()),
            done.positionFillId(), done.positionUpdatedAt()))
        .put("duplicate", done.duplicate()));
  }

  private Future<Recorded> record(SqlConnection tx, FillRequest request, long now) {
    return FillStore.find(tx, request.fillId()).compose(existing -> OrderStore.find(tx, request.orderId()).compose(order -> {
      if (existing != null) {
        return duplicate(tx, existing, request, now);
      }
      if (order == null) {
        return Future.failedFuture(new CommandFailure(ErrorCode.NOT_FOUND, "no order " + request.orderId(), "orderId"));
      }
      Outcome outcome = OrderStateMachine.fill(order, request.quantity(), request.price(), now);
      if (outcome instanceof Outcome.Refused refused) {
        return Future.failedFuture(new CommandFailure(ErrorCode.CONFLICT, refused.message(), refused.field()));
      }
      Order filled = ((Outcome.Changed) outcome).order();
      Fill fill = new Fill(request.fillId(), order.orderId(), order.account(), order.symbol(), order.side(),
          request.price(), request.quantity(), request.fee(), request.feeAsset(), request.liquidity(), request.tradeId(),
          OrderStateMachine.isLateFill(order.status()),
          request.executedAt() != null ? request.executedAt() : now, now);
      return PositionStore.find(tx, order.account(), order.symbol()).compose(stored -> {
        Position before = stored != null ? stored.position() : Position.flat(order.account(), order.symbol());
        Position after = PositionLedger.apply(before, order.side(), fill.quantity(), fill.price(), fill.fee(), fill.feeAsset());
        return FillStore.insert(tx, fill)
            .compose(v -> OrderStore.update(tx, filled))
            .compose(v -> PositionStore.upsert(tx, after, fill.fillId(), now))
            .compose(v -> OutboxAppender.append(tx, List.of(
                OutboxEvent.of(EventTypes.FILL_RECORDED, "order", order.orderId(), fill.toJson(), now),
                OrderVerticle.orderEvent(EventTypes.ORDER_UPDATED, filled, order.status()),
                OutboxEvent.of(EventTypes.POSITION_CHANGED, "position", after.account() + "/" + after.symbol(),
                    PositionJson.of(after, null, fill.fillId(), now), now))))
            .map(v -> new Recorded(fill, filled, after, fill.fillId(), now, false));
      });
    }));
  }

  /** A resend of a recorded fill: same content answers with today's state and changes nothing; else 409. */
  private Future<Recorded> duplicate(SqlConnection tx, Fill existing, FillRequest request, long now) {
    Fill resend = new Fill(request.fillId(), request.orderId(), existing.account(), existing.symbol(), existing.side(),
        request.price(), request.quantity(), request.fee(), request.feeAsset(), request.liquidity(), request.tradeId(),
        existing.late(), request.executedAt() != null ? request.executedAt() : now, now);
    if (!existing.sameExecutionAs(resend, request.executedAt() != null)) {
      return Future.failedFuture(new CommandFailure(ErrorCode.CONFLICT,
          "fillId " + request.fillId() + " was already recorded with different content", "fillId"));
    }
    return OrderStore.find(tx, existing.orderId()).compose(order ->
        PositionStore.find(tx, existing.account(), existing.symbol()).map(stored ->
            new Recorded(existing, order, stored.position(), stored.lastFillId(), stored.updatedAt(), true)));
  }

  private Future<JsonObject> list(Request r) {
    int limit = r.limit("limit", 100, 1000);
    String orderId = r.optionalText("orderId");
    if (orderId != null) {
      Long cursor = r.optionalCursor("cursor");
      return FillStore.ofOrder(store.readers().pool(), orderId, cursor == null ? 0 : cursor, limit)
          .map(page -> page.toJson("fills", Fill::toJson));
    }
    if (!r.has("symbol")) {
      throw CommandFailure.invalid("orderId", "orderId, or symbol with an optional from/to range, is required");
    }
    String symbol = r.text("symbol");
    Long from = r.optionalTimestamp("from");
    Long to = r.optionalTimestamp("to");
    long start = from == null ? 0 : from;
    long end = to == null ? Long.MAX_VALUE : to;
    if (start >= end) {
      throw CommandFailure.invalid("to", "to must be after from");
    }
    long afterExecutedAt = start - 1;
    long afterId = 0;
    String cursor = r.optionalText("cursor");
    if (cursor != null) {
      String[] parts = cursor.split(":");
      try {
        afterExecutedAt = Long.parseLong(parts[0]);
        afterId = Long.parseLong(parts[1]);
      } catch (RuntimeException e) {
        throw CommandFailure.invalid("cursor", "cursor must be a cursor returned by a previous reply");
      }
    }
    return FillStore.ofSymbol(store.readers().pool(), symbol, start, end, afterExecutedAt, afterId, limit)
        .map(page -> page.toJson("fills", Fill::toJson));
  }

  private static FillRequest parse(Request r) {
    String fillId = r.text("fillId");
    String orderId = r.text("orderId");
    BigDecimal price = r.positiveDecimal("price");
    BigDecimal quantity = r.positiveDecimal("quantity");
    BigDecimal fee = r.optionalDecimal("fee"); // may be negative: a maker rebate
    String feeAsset = r.optionalText("feeAsset");
    if (fee != null && feeAsset == null) {
      throw CommandFailure.invalid("feeAsset", "feeAsset is required with a fee");
    }
    if (fee == null && feeAsset != null) {
      throw CommandFailure.invalid("fee", "fee is required with a feeAsset");
    }
    Liquidity liquidity = r.optionalEnum("liquidity", Liquidity.class);
    String tradeId = r.optionalText("tradeId");
    Long executedAt = r.optionalTimestamp("executedAt");
    return new FillRequest(fillId, orderId, price, quantity, fee, feeAsset, liquidity, tradeId, executedAt);
  }
}
