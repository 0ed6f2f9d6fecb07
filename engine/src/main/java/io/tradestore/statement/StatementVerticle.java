package io.tradestore.statement;

import io.tradestore.Addresses;
import io.tradestore.bus.CommandHandler;
import io.tradestore.bus.CommandVerticle;
import io.tradestore.bus.Request;
import io.tradestore.domain.statement.StatementBuilder;
import io.tradestore.fill.FillStore;
import io.tradestore.metrics.CommandMetrics;
import io.tradestore.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * Routes {@code trading.statements.get}: an account's fills are streamed from a read-only connection, in recording
 * order, into a {@link StatementBuilder}; the writer is never touched.
 */
public final class StatementVerticle extends CommandVerticle {
  private final Store store;

  public StatementVerticle(Store store, CommandMetrics commands) {
    super(commands);
    this.store = store;
  }

  @Override
  protected Map<String, CommandHandler> routes() {
    return Map.of(Addresses.STATEMENTS_GET, this::get);
  }

  private Future<JsonObject> get(Request r) {
    StatementRequests.Period period = StatementRequests.period(r);
    return store.readers().read(session -> {
      StatementBuilder builder = new StatementBuilder(period.account(), period.from(), period.to());
      FillStore.forEachOfAccount(session, period.account(), period.to(), builder::add);
      return builder.build();
    }).map(StatementJson::of);
  }
}
