package io.tradestore.statement;

import io.tradestore.CommandFailure;
import io.tradestore.bus.Request;
import io.tradestore.domain.Accounts;

/** The statement request's fields; a field missing or out of range is a 400 naming it. */
final class StatementRequests {
  private StatementRequests() { }

  /** One account's period [from, to) on the fills' execution times; all time when both are left out. */
  record Period(String account, long from, long to) { }

  static Period period(Request r) {
    String account = r.textOr("account", Accounts.DEFAULT);
    Long from = r.optionalTimestamp("from");
    Long to = r.optionalTimestamp("to");
    long start = from == null ? Long.MIN_VALUE : from;
    long end = to == null ? Long.MAX_VALUE : to;
    if (start >= end) {
      throw CommandFailure.invalid("to", "to must be after from");
    }
    return new Period(account, start, end);
  }
}
