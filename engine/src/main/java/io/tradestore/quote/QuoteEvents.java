package io.tradestore.quote;

import io.tradestore.domain.quote.Quote;
import io.tradestore.outbox.OutboxEvent;

/** The outbox events of a quote; their aggregate is the quote. */
public final class QuoteEvents {
  private QuoteEvents() { }

  /** An event of {@code type} with the quote as of {@code at}; built when first needed (a quote is immutable). */
  public static OutboxEvent of(String type, Quote quote, long at) {
    return OutboxEvent.deferred(type, "quote", quote.quoteId(), () -> QuoteJson.of(quote, at), at);
  }
}
