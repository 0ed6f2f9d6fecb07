package io.tradestore.balance;

import io.tradestore.Addresses;
import io.tradestore.CommandFailure;
import io.tradestore.ErrorCode;
import io.tradestore.Replies;
import io.tradestore.Request;
import io.tradestore.order.OrderVerticle;
import io.tradestore.outbox.EventTypes;
import io.tradestore.outbox.OutboxAppender;
import io.tradestore.outbox.OutboxEvent;
import io.tradestore.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.List;

/**
 * Routes {@code trading.balances.*}. A snapshot replaces the stored one unless it is older ({@code asOf}):
 * venues resend, and an old snapshot arriving late must not overwrite a newer one.
 */
public final class BalanceVerticle extends VerticleBase {
  private final Store store;
  private final Clock clock;

  public BalanceVerticle(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    return Future.all(
        bus.consumer(Addresses.BALANCES_UPDATE, Replies.serve(Addresses.BALANCES_UPDATE, this::update)).completion(),
        bus.consumer(Addresses.BALANCES_LIST, Replies.serve(Addresses.BALANCES_LIST, this::list)).completion());
  }

  private record Result(Balance balance, boolean duplicate) { }

  private Future<JsonObject> update(Request r) {
    long now = clock.millis();
    String account = r.textOr("account", OrderVerticle.DEFAULT_ACCOUNT);
    String asset = r.text("asset");
    Long asOf = r.optionalTimestamp("asOf");
    Balance snapshot = new Balance(account, asset, r.decimal("available"), r.nonNegativeDecimal("locked"),
        asOf == null ? now : asOf, now);
    return store.writer().submitWithoutSavepoint(tx -> BalanceStore.find(tx, account, asset).compose(stored -> {
      if (stored != null && snapshot.asOf() < stored.asOf()) {
        return Future.<Result>failedFuture(new CommandFailure(ErrorCode.CONFLICT, "snapshot asOf "
            + snapshot.toJson().getString("asOf") + " is older than the stored one (" + stored.toJson().getString("asOf") + ")", "asOf"));
      }
      if (stored != null && snapshot.asOf() == stored.asOf()) {
        return snapshot.sameAmountsAs(stored)
            ? Future.succeededFuture(new Result(stored, true))
            : Future.failedFuture(new CommandFailure(ErrorCode.CONFLICT,
                "a different snapshot with the same asOf was already recorded", "asOf"));
      }
      return BalanceStore.record(tx, snapshot)
          .compose(v -> OutboxAppender.append(tx, List.of(OutboxEvent.of(EventTypes.BALANCE_UPDATED, "balance",
              account + "/" + asset, snapshot.toJson(), now))))
          .map(v -> new Result(snapshot, false));
    })).map(result -> result.balance().toJson().put("duplicate", result.duplicate()));
  }

  private Future<JsonObject> list(Request r) {
    String account = r.textOr("account", OrderVerticle.DEFAULT_ACCOUNT);
    return BalanceStore.ofAccount(store.readers().pool(), account).map(balances -> {
      JsonArray items = new JsonArray();
      balances.forEach(b -> items.add(b.toJson()));
      return new JsonObject().put("account", account).put("balances", items);
    });
  }
}
