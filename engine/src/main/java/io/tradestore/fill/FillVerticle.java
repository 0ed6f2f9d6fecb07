package io.tradestore.fill;

import io.tradestore.Addresses;
import io.tradestore.bus.CommandHandler;
import io.tradestore.bus.CommandVerticle;
import io.tradestore.bus.Request;
import io.tradestore.domain.book.TradingCommand.RecordFill;
import io.tradestore.domain.fill.Fill;
import io.tradestore.metrics.CommandMetrics;
import io.tradestore.order.OrderJson;
import io.tradestore.position.PositionJson;
import io.tradestore.quote.MarkPrices;
import io.tradestore.store.Page;
import io.tradestore.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.Map;

/**
 * Routes {@code trading.fills.*}. Recording a fill is decided by the {@link FillService} and written in one
 * transaction: the fill, the order's progress, the position, the events; the reply carries the order's new state
 * and the position.
 */
public final class FillVerticle extends CommandVerticle {
  private final Store store;
  private final FillService fills;
  private final MarkPrices marks;
  private final Clock clock;

  public FillVerticle(Store store, FillService fills, MarkPrices marks, Clock clock, CommandMetrics commands) {
    super(commands);
    this.store = store;
    this.fills = fills;
    this.marks = marks;
    this.clock = clock;
  }

  @Override
  protected Map<String, CommandHandler> routes() {
    return Map.of(
        Addresses.FILLS_RECORD, this::record,
        Addresses.FILLS_LIST, this::list);
  }

  private Future<JsonObject> record(Request r) {
    RecordFill command = FillRequests.record(r, clock.millis());
    return fills.record(command).map(done -> new JsonObject()
        .put("fill", FillJson.of(done.fill()))
        .put("order", OrderJson.of(done.order()))
        .put("position", PositionJson.of(done.position().position(),
            marks.markAt(done.position().position().symbol(), clock.millis()),
            done.position().lastFillId(), done.position().updatedAt()))
        .put("duplicate", done.duplicate()));
  }

  private Future<JsonObject> list(Request r) {
    FillRequests.FillQuery q = FillRequests.list(r);
    Future<Page<Fill>> page = q.byOrder()
        ? FillStore.ofOrder(store.readers(), q.orderId(), q.afterId(), q.limit())
        : FillStore.inRange(store.readers().pool(), q.symbol(), q.account(), q.from(), q.to(), q.afterExecutedAt(),
            q.afterId(), q.limit());
    return page.map(p -> p.toJson("fills", FillJson::of));
  }
}
