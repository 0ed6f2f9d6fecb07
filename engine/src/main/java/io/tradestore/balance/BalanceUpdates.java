package io.tradestore.balance;

import io.tradestore.CommandFailure;
import io.tradestore.domain.balance.Balance;
import io.tradestore.domain.balance.BalanceSnapshots;
import io.tradestore.outbox.EventTypes;
import io.tradestore.outbox.OutboxAppender;
import io.tradestore.outbox.OutboxEvent;
import io.tradestore.store.StoreWriter;
import io.tradestore.store.Write;
import io.vertx.core.Future;

import java.util.List;

/**
 * Records a balance snapshot in one transaction: read the stored one, let {@link BalanceSnapshots} decide, write the
 * snapshot, its history row and its {@code balance.updated} event. A refusal writes nothing.
 */
final class BalanceUpdates {
  /** The balance now stored, and whether the snapshot was a resend of it. */
  record Result(Balance balance, boolean duplicate) { }

  private final StoreWriter writer;

  BalanceUpdates(StoreWriter writer) {
    this.writer = writer;
  }

  Future<Result> record(Balance snapshot) {
    String account = snapshot.account();
    String asset = snapshot.asset();
    return writer.submit(Write.refusingBeforeWriting(tx -> BalanceStore.find(tx, account, asset).compose(stored ->
        BalanceSnapshots.decide(stored, snapshot).fold(
            changed -> BalanceStore.record(tx, changed)
                .compose(v -> OutboxAppender.append(tx, List.of(OutboxEvent.of(EventTypes.BALANCE_UPDATED, "balance",
                    account + "/" + asset, BalanceJson.of(changed), snapshot.updatedAt()))))
                .map(v -> new Result(changed, false)),
            duplicate -> Future.succeededFuture(new Result(duplicate, true)),
            refusal -> Future.<Result>failedFuture(CommandFailure.of(refusal))))));
  }
}
