package io.tradestore.domain.alert;

import io.tradestore.domain.alert.Alert.Condition;
import io.tradestore.domain.alert.Alert.Kind;
import io.tradestore.domain.alert.Alert.Repeat;
import io.tradestore.domain.quote.Quote;
import io.tradestore.domain.quote.QuoteLifecycle;

import java.math.BigDecimal;

/** Alerts and quotes for the alert rules' tests. */
final class Alerts {
  static final long T0 = 1_000_000L;

  private Alerts() { }

  static BigDecimal d(String s) {
    return new BigDecimal(s);
  }

  static Alert once(String id, Kind kind, Condition condition, String threshold) {
    return Alert.create(id, "desk", "BTCUSDT", kind, condition, d(threshold), Repeat.ONCE, null, null, null, T0);
  }

  static Alert rearm(String id, Kind kind, Condition condition, String threshold, String rearmBy) {
    return Alert.create(id, "desk", "BTCUSDT", kind, condition, d(threshold), Repeat.REARM, d(rearmBy), null, null,
        T0);
  }

  static Quote quote(String id, String symbol, String bid, String ask, long at) {
    return new Quote(id, symbol, d(bid), d("1"), d(ask), d("1"), QuoteLifecycle.spreadBps(d(bid), d(ask)), null, null,
        null, Quote.QuoteStatus.ACTIVE, null, null, at, at);
  }
}
