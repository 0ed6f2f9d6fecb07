package io.tradestore.domain.book;

import io.tradestore.domain.alert.Alert;
import io.tradestore.domain.fill.Fill;
import io.tradestore.domain.order.Order;
import io.tradestore.domain.position.StoredPosition;
import io.tradestore.domain.quote.Quote;

import java.util.List;

/** What a {@link TradingCommand} answers once committed. */
public sealed interface BookResult {
  /** A quote after submitting it; {@code duplicate} when it was already stored with the same content. */
  record QuoteResult(Quote quote, boolean duplicate) implements BookResult { }

  /** An order after placing or reporting it; {@code duplicate} when nothing changed. */
  record OrderResult(Order order, boolean duplicate) implements BookResult { }

  /** A fill with its order and position after it; {@code duplicate} when it was already recorded. */
  record FillResult(Fill fill, Order order, StoredPosition position, boolean duplicate) implements BookResult { }

  /** An alert after creating or cancelling it; {@code duplicate} when it already was so. */
  record AlertResult(Alert alert, boolean duplicate) implements BookResult { }

  /** The alerts an expiry run marked EXPIRED, and the soonest expiry still ahead (null: none). */
  record AlertsExpired(List<Alert> expired, Long nextExpiry) implements BookResult { }
}
