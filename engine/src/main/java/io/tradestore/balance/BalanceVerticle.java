package io.tradestore.balance;

import io.tradestore.Addresses;
import io.tradestore.bus.CommandHandler;
import io.tradestore.bus.CommandVerticle;
import io.tradestore.bus.Request;
import io.tradestore.metrics.CommandMetrics;
import io.tradestore.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.Map;

/**
 * Routes {@code trading.balances.*}: an update is recorded by {@link BalanceUpdates}; the list and the history
 * are read from the readers.
 */
public final class BalanceVerticle extends CommandVerticle {
  private final Store store;
  private final Clock clock;
  private final BalanceUpdates updates;

  public BalanceVerticle(Store store, Clock clock, CommandMetrics commands) {
    super(commands);
    this.store = store;
    this.clock = clock;
    this.updates = new BalanceUpdates(store.writer());
  }

  @Override
  protected Map<String, CommandHandler> routes() {
    return Map.of(
        Addresses.BALANCES_UPDATE, this::update,
        Addresses.BALANCES_LIST, this::list,
        Addresses.BALANCES_HISTORY, this::history);
  }

  private Future<JsonObject> update(Request r) {
    return updates.record(BalanceRequests.snapshot(r, clock.millis()))
        .map(result -> BalanceJson.of(result.balance()).put("duplicate", result.duplicate()));
  }

  private Future<JsonObject> list(Request r) {
    String account = BalanceRequests.account(r);
    return BalanceStore.ofAccount(store.readers().pool(), account).map(balances -> {
      JsonArray items = new JsonArray();
      balances.forEach(b -> items.add(BalanceJson.of(b)));
      return new JsonObject().put("account", account).put("balances", items);
    });
  }

  private Future<JsonObject> history(Request r) {
    BalanceRequests.HistoryQuery q = BalanceRequests.history(r);
    return BalanceStore.history(store.readers().pool(), q.account(), q.asset(), q.from(), q.to(), q.afterAsOf(),
            q.afterId(), q.limit())
        .map(page -> page.toJson("updates", BalanceJson::of).put("account", q.account()).put("asset", q.asset()));
  }
}
