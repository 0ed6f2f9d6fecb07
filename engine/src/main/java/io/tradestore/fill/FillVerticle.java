package io.tradestore.fill;

import io.tradestore.Addresses;
import io.tradestore.CommandFailure;
import io.tradestore.bus.CommandHandler;
import io.tradestore.bus.CommandVerticle;
import io.tradestore.bus.Request;
import io.tradestore.domain.book.TradingCommand.RecordFill;
import io.tradestore.metrics.CommandMetrics;
import io.tradestore.order.OrderJson;
import io.tradestore.position.PositionJson;
import io.tradestore.quote.MarkPrices;
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
    int limit = r.limit("limit", 100, 1000);
    String orderId = r.optionalText("orderId");
    if (orderId != null) {
      Long cursor = r.optionalCursor("cursor");
      return FillStore.ofOrder(store.readers(), orderId, cursor == null ? 0 : cursor, limit)
          .map(page -> page.toJson("fills", FillJson::of));
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
        .map(page -> page.toJson("fills", FillJson::of));
  }
}
