package io.tradestore.quote;

import io.tradestore.CommandFailure;
import io.tradestore.bus.Request;
import io.tradestore.domain.book.TradingCommand.SubmitQuote;
import io.tradestore.domain.quote.Quote.QuoteStatus;
import io.tradestore.domain.quote.Quote;
import io.tradestore.domain.quote.QuoteLifecycle;

import java.math.BigDecimal;

/** The quote command as requests carry it; a field missing or out of range is a 400 naming it. */
final class QuoteRequests {
  private QuoteRequests() { }

  /** A new quote (ACTIVE) received {@code now}; a crossed quote (bid above ask) is refused. */
  static SubmitQuote submit(Request r, long now) {
    String quoteId = r.text("quoteId");
    String symbol = r.text("symbol");
    BigDecimal bid = r.positiveDecimal("bidPrice");
    BigDecimal bidQuantity = r.positiveDecimal("bidQuantity");
    BigDecimal ask = r.positiveDecimal("askPrice");
    BigDecimal askQuantity = r.positiveDecimal("askQuantity");
    if (bid.compareTo(ask) > 0) {
      throw CommandFailure.invalid("bidPrice", "bidPrice " + bid.toPlainString() + " is above askPrice " + ask.toPlainString() + " (crossed quote)");
    }
    Long expiresAt = r.optionalTimestamp("expiresAt");
    String sourceSymbol = r.optionalText("sourceSymbol");
    BigDecimal sourceBid = r.optionalPositiveDecimal("sourceBidPrice");
    BigDecimal sourceAsk = r.optionalPositiveDecimal("sourceAskPrice");
    return new SubmitQuote(new Quote(quoteId, symbol, bid, bidQuantity, ask, askQuantity, QuoteLifecycle.spreadBps(bid, ask),
        sourceSymbol, sourceBid, sourceAsk, QuoteStatus.ACTIVE, expiresAt, null, now, now));
  }
}
