package io.tradestore.balance;

import io.tradestore.Times;
import io.tradestore.domain.Decimals;
import io.tradestore.domain.balance.Balance;
import io.vertx.core.json.JsonObject;

/** The balance as replies and events show it: decimals as strings, times as ISO-8601 UTC. */
public final class BalanceJson {
  private BalanceJson() { }

  public static JsonObject of(Balance b) {
    return new JsonObject()
        .put("account", b.account())
        .put("asset", b.asset())
        .put("available", Decimals.format(b.available()))
        .put("locked", Decimals.format(b.locked()))
        .put("total", Decimals.format(b.total()))
        .put("asOf", Times.iso(b.asOf()))
        .put("updatedAt", Times.iso(b.updatedAt()));
  }
}
