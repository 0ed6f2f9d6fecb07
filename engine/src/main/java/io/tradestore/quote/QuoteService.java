package io.tradestore.quote;

import io.tradestore.domain.book.BookResult.QuoteResult;
import io.tradestore.domain.book.TradingCommand.SubmitQuote;
import io.vertx.core.Future;

/** The quote command {@link QuoteVerticle} binds that the book decides; it completes once committed. */
public interface QuoteService {
  Future<QuoteResult> submit(SubmitQuote command);
}
