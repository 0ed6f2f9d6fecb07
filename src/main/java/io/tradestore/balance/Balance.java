package io.tradestore.balance;

import io.tradestore.Decimals;
import io.tradestore.Times;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;

/** A venue's balance snapshot of one asset in one account; total = available + locked. */
public record Balance(String account, String asset, BigDecimal available, BigDecimal locked, long asOf, long updatedAt) {

  public Balance {
    available = Decimals.canonical(available);
    locked = Decimals.canonical(locked);
  }

  public BigDecimal total() {
    return Decimals.canonical(available.add(locked));
  }

  public boolean sameAmountsAs(Balance other) {
    return available.equals(other.available) && locked.equals(other.locked);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("account", account)
        .put("asset", asset)
        .put("available", Decimals.format(available))
        .put("locked", Decimals.format(locked))
        .put("total", Decimals.format(total()))
        .put("asOf", Times.iso(asOf))
        .put("updatedAt", Times.iso(updatedAt));
  }
}
