package io.tradestore.balance;

import io.tradestore.Addresses;
import io.tradestore.CommandFailure;
import io.tradestore.bus.CommandHandler;
import io.tradestore.bus.CommandVerticle;
import io.tradestore.bus.Request;
import io.tradestore.domain.Accounts;
import io.tradestore.domain.balance.Balance;
import io.tradestore.domain.balance.BalanceSnapshots;
import io.tradestore.metrics.CommandMetrics;
import io.tradestore.outbox.EventTypes;
import io.tradestore.outbox.OutboxAppender;
import io.tradestore.outbox.OutboxEvent;
import io.tradestore.store.Store;
import io.tradestore.store.Write;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Routes {@code trading.balances.*}; whether a snapshot replaces the stored one is {@link BalanceSnapshots}' rule.
 */
public final class BalanceVerticle extends CommandVerticle {
  private final Store store;
  private final Clock clock;

  public BalanceVerticle(Store store, Clock clock, CommandMetrics commands) {
    super(commands);
    this.store = store;
    this.clock = clock;
  }

  @Override
  protected Map<String, CommandHandler> routes() {
    return Map.of(
        Addresses.BALANCES_UPDATE, this::update,
        Addresses.BALANCES_LIST, this::list);
  }

  private record Result(Balance balance, boolean duplicate) { }

  private Future<JsonObject> update(Request r) {
    long now = clock.millis();
    String account = r.textOr("account", Accounts.DEFAULT);
    String asset = r.text("asset");
    Long asOf = r.optionalTimestamp("asOf");
    Balance snapshot = new Balance(account, asset, r.decimal("available"), r.nonNegativeDecimal("locked"),
        asOf == null ? now : asOf, now);
    return store.writer().submit(Write.refusingBeforeWriting(tx -> BalanceStore.find(tx, account, asset).compose(stored ->
        BalanceSnapshots.decide(stored, snapshot).fold(
            changed -> BalanceStore.record(tx, changed)
                .compose(v -> OutboxAppender.append(tx, List.of(OutboxEvent.of(EventTypes.BALANCE_UPDATED, "balance",
                    account + "/" + asset, BalanceJson.of(changed), now))))
                .map(v -> new Result(changed, false)),
            duplicate -> Future.succeededFuture(new Result(duplicate, true)),
            refusal -> Future.<Result>failedFuture(CommandFailure.of(refusal))))))
        .map(result -> BalanceJson.of(result.balance()).put("duplicate", result.duplicate()));
  }

  private Future<JsonObject> list(Request r) {
    String account = r.textOr("account", Accounts.DEFAULT);
    return BalanceStore.ofAccount(store.readers().pool(), account).map(balances -> {
      JsonArray items = new JsonArray();
      balances.forEach(b -> items.add(BalanceJson.of(b)));
      return new JsonObject().put("account", account).put("balances", items);
    });
  }
}
