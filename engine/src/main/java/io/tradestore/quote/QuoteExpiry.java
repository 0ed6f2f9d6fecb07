package io.tradestore.quote;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Marks ACTIVE quotes EXPIRED when their {@code expiresAt} passes, each with its {@code quote.expired} event.
 * A timer is set at the next expiry (not a slow sweep), moved earlier when a sooner-expiring quote arrives.
 * Confined to the context that started it (the quote verticle's).
 */
final class QuoteExpiry {
  private static final Logger LOG = LoggerFactory.getLogger(QuoteExpiry.class);
  private static final int BATCH = 500;
  /** Re-check at least this often, so a clock jump or a missed signal cannot leave quotes active for long. */
  private static final long MAX_SLEEP_MS = 60_000;

  private static final String DUE = "SELECT " + QuoteStore.COLUMNS + """
       FROM quotes
      WHERE status = 'ACTIVE' AND expires_at IS NOT NULL AND expires_at <= ?
      ORDER BY expires_at
      LIMIT ?""";

  private static final String EXPIRE = """
      UPDATE quotes SET status = 'EXPIRED', updated_at = ? WHERE quote_id = ? AND status = 'ACTIVE'""";

  private static final String NEXT = """
      SELECT min(expires_at) AS next FROM quotes WHERE status = 'ACTIVE' AND expires_at IS NOT NULL""";

  private final Vertx vertx;
  private final Store store;
  private final Clock clock;
  private final LongConsumer expiredListener;
  private long timerId = -1;
  private long timerAt = Long.MAX_VALUE;
  private boolean running;
  private boolean stopped;

  QuoteExpiry(Vertx vertx, Store store, Clock clock, LongConsumer expiredListener) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.expiredListener = expiredListener;
  }

  /** Expires what is already due (quotes that expired while the engine was down), then waits for the next. */
  void start() {
    expireDue();
  }

  void stop() {
    stopped = true;
    cancel();
  }

  /** A committed quote with an expiry: wake up earlier if it expires before the current timer. */
  void onQuote(Long expiresAt) {
    if (expiresAt != null && !running) {
      scheduleAt(expiresAt);
    }
  }

  private void expireDue() {
    if (stopped) {
      return;
    }
    running = true;
    cancel();
    store.writer().submit(Write.refusingBeforeWriting(this::expireBatch)).onComplete(done -> {
      running = false;
      if (done.failed()) {
        LOG.warn("quote expiry failed ({}); retrying in 1 s", done.cause().getMessage());
        scheduleAt(clock.millis() + 1_000);
        return;
      }
      int expired = done.result();
      if (expired > 0) {
        expiredListener.accept(expired);
        LOG.debug("expired {} quote(s)", expired);
      }
      if (expired == BATCH) {
        expireDue();
      } else {
        scheduleNext();
      }
    });
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

  private void scheduleNext() {
    store.readers().pool().query(NEXT).execute().onComplete(next -> {
      long now = clock.millis();
      if (next.failed()) {
        scheduleAt(now + 1_000);
        return;
      }
      Long at = next.result().iterator().next().getLong("next");
      scheduleAt(at == null ? now + MAX_SLEEP_MS : at);
    });
  }

  private void scheduleAt(long at) {
    if (stopped) {
      return;
    }
    long now = clock.millis();
    long when = Math.min(at, now + MAX_SLEEP_MS);
    if (when >= timerAt) {
      return;
    }
    cancel();
    timerAt = when;
    timerId = vertx.setTimer(Math.max(1, when - now), id -> {
      timerId = -1;
      timerAt = Long.MAX_VALUE;
      expireDue();
    });
  }

  private void cancel() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    timerAt = Long.MAX_VALUE;
  }
}
