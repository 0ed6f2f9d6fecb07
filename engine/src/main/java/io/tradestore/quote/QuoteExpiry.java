package io.tradestore.quote;

import io.tradestore.ExpiryTimer;
import io.tradestore.domain.quote.Quote.QuoteStatus;
import io.tradestore.domain.quote.Quote;
import io.tradestore.outbox.EventTypes;
import io.tradestore.outbox.OutboxAppender;
import io.tradestore.outbox.OutboxEvent;
import io.tradestore.store.Rows;
import io.tradestore.store.Store;
import io.tradestore.store.Write;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Marks ACTIVE quotes EXPIRED when their {@code expiresAt} passes, each with its {@code quote.expired} event, in
 * runs of at most {@link #BATCH} that an {@link ExpiryTimer} starts at the next expiry.
 */
final class QuoteExpiry {
  private static final int BATCH = 500;

  private static final String DUE = "SELECT " + QuoteStore.COLUMNS + """
       FROM quotes
      WHERE status = 'ACTIVE' AND expires_at IS NOT NULL AND expires_at <= ?
      ORDER BY expires_at
      LIMIT ?""";

  private static final String EXPIRE = """
      UPDATE quotes SET status = 'EXPIRED', updated_at = ? WHERE quote_id = ? AND status = 'ACTIVE'""";

  private static final String NEXT = """
      SELECT min(expires_at) AS next FROM quotes WHERE status = 'ACTIVE' AND expires_at IS NOT NULL""";

  private final Store store;
  private final Clock clock;
  private final LongConsumer expiredListener;
  private final ExpiryTimer timer;

  QuoteExpiry(Vertx vertx, Store store, Clock clock, LongConsumer expiredListener) {
    this.store = store;
    this.clock = clock;
    this.expiredListener = expiredListener;
    this.timer = new ExpiryTimer(vertx, clock, "quote", this::run);
  }

  /** Expires what is already due (quotes that expired while the engine was down), then waits for the next. */
  void start() {
    timer.start();
  }

  void stop() {
    timer.stop();
  }

  /** A committed quote with an expiry: wake up earlier if it expires before the current timer. */
  void onQuote(Long expiresAt) {
    timer.onExpiry(expiresAt);
  }

  private Future<ExpiryTimer.Run> run() {
    return store.writer().submit(Write.refusingBeforeWriting(this::expireBatch))
        .onSuccess(expired -> {
          if (expired > 0) {
            expiredListener.accept(expired);
          }
        })
        .compose(expired -> store.readers().pool().query(NEXT).execute()
            .map(next -> new ExpiryTimer.Run(expired, expired == BATCH, next.iterator().next().getLong("next"))));
  }

  private Future<Integer> expireBatch(SqlConnection tx) {
    long now = clock.millis();
    return tx.preparedQuery(DUE).execute(Tuple.of(now, BATCH)).compose(rows -> {
      List<Quote> due = Rows.all(rows, QuoteStore::from);
      if (due.isEmpty()) {
        return Future.succeededFuture(0);
      }
      List<Tuple> updates = new ArrayList<>();
      List<OutboxEvent> events = new ArrayList<>();
      for (Quote quote : due) {
        Quote expired = quote.withStatus(QuoteStatus.EXPIRED, quote.usedByOrderId(), now);
        updates.add(Tuple.of(now, quote.quoteId()));
        events.add(QuoteEvents.of(EventTypes.QUOTE_EXPIRED, expired, now));
      }
      return tx.preparedQuery(EXPIRE).executeBatch(updates)
          .compose(v -> OutboxAppender.append(tx, events))
          .map(v -> due.size());
    });
  }
}
