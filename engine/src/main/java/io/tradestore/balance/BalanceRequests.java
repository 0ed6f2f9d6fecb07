package io.tradestore.balance;

import io.tradestore.bus.Request;
import io.tradestore.domain.Accounts;
import io.tradestore.domain.balance.Balance;

/** The balance requests' fields; a field missing or out of range is a 400 naming it. */
final class BalanceRequests {
  private BalanceRequests() { }

  /** A snapshot as the venue reported it, received at {@code now}; without {@code asOf} it is as of receipt. */
  static Balance snapshot(Request r, long now) {
    String account = account(r);
    String asset = r.text("asset");
    Long asOf = r.optionalTimestamp("asOf");
    return new Balance(account, asset, r.decimal("available"), r.nonNegativeDecimal("locked"),
        asOf == null ? now : asOf, now);
  }

  static String account(Request r) {
    return r.textOr("account", Accounts.DEFAULT);
  }
}
