package io.tradestore.quote;

import io.tradestore.CommandFailure;
import io.tradestore.domain.quote.Quote;
import io.tradestore.domain.quote.QuoteLifecycle;
import io.tradestore.outbox.EventTypes;
import io.tradestore.outbox.OutboxAppender;
import io.tradestore.store.StoreWriter;
import io.tradestore.store.Write;
import io.vertx.core.Future;

import java.time.Clock;
import java.util.List;

/**
 * Cancels a quote in one transaction: read it, let {@link QuoteLifecycle#cancel} decide, write the new status and
 * its {@code quote.cancelled} event. A refusal writes nothing; a quote already cancelled is a duplicate.
 */
final class QuoteCancels {
  /** The quote as it now stands, and whether it was cancelled before this request. */
  record Result(Quote quote, boolean duplicate) { }

  private final StoreWriter writer;
  private final Clock clock;

  QuoteCancels(StoreWriter writer, Clock clock) {
    this.writer = writer;
    this.clock = clock;
  }

  Future<Result> cancel(String quoteId) {
    return writer.submit(Write.refusingBeforeWriting(tx -> QuoteStore.find(tx, quoteId).compose(quote -> {
      long now = clock.millis();
      return QuoteLifecycle.cancel(quote, quoteId, now).fold(
          cancelled -> QuoteStore.updateStatus(tx, cancelled)
              .compose(v -> OutboxAppender.append(tx, List.of(QuoteEvents.of(EventTypes.QUOTE_CANCELLED, cancelled, now))))
              .map(v -> new Result(cancelled, false)),
          duplicate -> Future.succeededFuture(new Result(duplicate, true)),
          refusal -> Future.failedFuture(CommandFailure.of(refusal)));
    })));
  }
}
