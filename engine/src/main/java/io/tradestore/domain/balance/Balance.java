package io.tradestore.domain.balance;

import io.tradestore.domain.Decimals;

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
}
