package io.tradestore.position;

import io.tradestore.Addresses;
import io.tradestore.bus.CommandHandler;
import io.tradestore.bus.CommandVerticle;
import io.tradestore.bus.Request;
import io.tradestore.domain.Accounts;
import io.tradestore.domain.position.Position;
import io.tradestore.metrics.CommandMetrics;
import io.tradestore.quote.MarkPrices;
import io.tradestore.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.Map;

/** Routes {@code trading.positions.*}: reads from the readers, marked with the freshest quote per symbol. */
public final class PositionVerticle extends CommandVerticle {
  private final Store store;
  private final MarkPrices marks;
  private final Clock clock;

  public PositionVerticle(Store store, MarkPrices marks, Clock clock, CommandMetrics commands) {
    super(commands);
    this.store = store;
    this.marks = marks;
    this.clock = clock;
  }

  @Override
  protected Map<String, CommandHandler> routes() {
    return Map.of(
        Addresses.POSITIONS_GET, this::get,
        Addresses.POSITIONS_LIST, this::list);
  }

  /** A symbol never traded is a flat position, not an error: its quantity and PnL are truly zero. */
  private Future<JsonObject> get(Request r) {
    String account = r.textOr("account", Accounts.DEFAULT);
    String symbol = r.text("symbol");
    return PositionStore.find(store.readers(), account, symbol).map(stored -> stored == null
        ? render(Position.flat(account, symbol), null, null)
        : render(stored.position(), stored.lastFillId(), stored.updatedAt()));
  }

  private Future<JsonObject> list(Request r) {
    String account = r.textOr("account", Accounts.DEFAULT);
    boolean openOnly = r.has("openOnly") && r.bool("openOnly");
    return PositionStore.ofAccount(store.readers().pool(), account).map(all -> {
      JsonArray items = new JsonArray();
      all.stream()
          .filter(stored -> !openOnly || !stored.position().isFlat())
          .forEach(stored -> items.add(render(stored.position(), stored.lastFillId(), stored.updatedAt())));
      return new JsonObject().put("account", account).put("positions", items);
    });
  }

  private JsonObject render(Position p, String lastFillId, Long updatedAt) {
    return PositionJson.of(p, marks.markAt(p.symbol(), clock.millis()), lastFillId, updatedAt);
  }
}
