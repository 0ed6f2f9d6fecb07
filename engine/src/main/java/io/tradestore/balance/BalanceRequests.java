package io.tradestore.balance;

import io.tradestore.CommandFailure;
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

  /**
   * A page of one account's snapshots of one asset, by {@code asOf} in [from, to).
   *
   * @param afterAsOf with {@code afterId}: where the page before ended, or before everything
   */
  record HistoryQuery(String account, String asset, long from, long to, long afterAsOf, long afterId, int limit) { }

  static HistoryQuery history(Request r) {
    String account = account(r);
    String asset = r.text("asset");
    Long from = r.optionalTimestamp("from");
    Long to = r.optionalTimestamp("to");
    long start = from == null ? Long.MIN_VALUE : from;
    long end = to == null ? Long.MAX_VALUE : to;
    if (start >= end) {
      throw CommandFailure.invalid("to", "to must be after from");
    }
    int limit = r.limit("limit", 100, 1000);
    Request.TimeCursor cursor = r.optionalTimeCursor("cursor");
    return new HistoryQuery(account, asset, start, end, cursor == null ? Long.MIN_VALUE : cursor.at(),
        cursor == null ? 0 : cursor.id(), limit);
  }
}
