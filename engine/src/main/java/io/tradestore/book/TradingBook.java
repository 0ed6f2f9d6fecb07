package io.tradestore.book;

import io.tradestore.CommandFailure;
import io.tradestore.alert.AlertObserver;
import io.tradestore.alert.AlertStore;
import io.tradestore.domain.alert.Alert;
import io.tradestore.domain.alert.AlertFiring;
import io.tradestore.domain.alert.AlertIndex;
import io.tradestore.domain.book.BookDecider;
import io.tradestore.domain.book.BookState;
import io.tradestore.domain.book.TradingCommand;
import io.tradestore.domain.fill.Fill;
import io.tradestore.domain.order.Order;
import io.tradestore.domain.position.PositionKey;
import io.tradestore.domain.position.StoredPosition;
import io.tradestore.domain.quote.Quote;
import io.tradestore.domain.quote.QuoteLifecycle;
import io.tradestore.outbox.ClaimedEvent;
import io.tradestore.outbox.OutboxFeed;
import io.tradestore.quote.MarkPrices;
import io.tradestore.store.BatchProcessor;
import io.tradestore.store.JdbcSession;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The desk's book of quotes, orders, fills, positions and alerts, as the single writer runs it: for each run of
 * consecutive trading commands it loads what they name ({@link BookRows}), has the {@link BookDecider} decide
 * them in order against the {@link BookCache}, the {@link AlertIndex} and what was loaded, and writes what they
 * changed in one batch per kind. The active alerts are read into the index by the first run. Runs on a worker
 * thread (it blocks on JDBC); the commit and rollback reports and {@link #forget} come on the writer's context.
 */
public final class TradingBook implements BatchProcessor<TradingCommand<?>> {
  private final Clock clock;
  private final OutboxFeed feed;
  private final MarkPrices marks;
  private final BookCache cache = new BookCache();
  private final AlertIndex alerts = new AlertIndex();
  private boolean alertsLoaded;
  private final AlertObserver alertObserver;
  /** This transaction's firings and evaluations, for the observer once it committed. */
  private final List<AlertFiring> txFirings = new ArrayList<>();
  private final List<Quote> txQuotes = new ArrayList<>();
  private long txEvaluations;
  private long txEvaluationNanos;
  /** This transaction's events with their seqs, for the outbox once it committed. */
  private final List<ClaimedEvent> txEvents = new ArrayList<>();

  /**
   * A book that hands its committed events to the outbox through {@code feed}; {@code marks} holds each symbol's
   * fresh mark price (the unrealized PnL a fill's alerts are evaluated at), which the book sets from every quote it
   * commits; {@code alertObserver} is told after each commit what the alerts did.
   */
  public TradingBook(Clock clock, OutboxFeed feed, MarkPrices marks, AlertObserver alertObserver) {
    this.clock = clock;
    this.feed = feed;
    this.marks = marks;
    this.alertObserver = alertObserver;
  }

  @Override
  public List<Object> process(JdbcSession tx, List<TradingCommand<?>> commands) throws SQLException {
    if (!alertsLoaded) {
      loadAlerts(tx);
    }
    BookRows.Loaded loaded = BookRows.load(tx, commands, cache, alerts);
    BookDecider decider = new BookDecider(state(loaded), alerts, clock);
    List<Object> outcomes = new ArrayList<>(commands.size());
    for (TradingCommand<?> command : commands) {
      outcomes.add(decider.decide(command).<Object>fold(result -> result, resent -> resent, CommandFailure::of));
    }
    cache.changed(decider.changes());
    txFirings.addAll(decider.changes().firings());
    txQuotes.addAll(decider.changes().newQuotes());
    txEvaluations += decider.alertEvaluations();
    txEvaluationNanos += decider.alertEvaluationNanos();
    txEvents.addAll(BookRows.write(tx, decider.changes()));
    return outcomes;
  }

  @Override
  public void committed() {
    cache.committed();
    alerts.committed();
    List<ClaimedEvent> committed = List.copyOf(txEvents);
    txEvents.clear();
    feed.committed(committed);
    // marked at the commit, before any reply: the next run's fills are evaluated at the mark their quote set
    txQuotes.forEach(marks::onQuote);
    alertObserver.committed(alerts.activeByKind(), List.copyOf(txFirings), txEvaluations, txEvaluationNanos);
    clearTransaction();
  }

  @Override
  public void rolledBack() {
    cache.rolledBack();
    alerts.rolledBack();
    txEvents.clear();
    clearTransaction();
  }

  private void clearTransaction() {
    txQuotes.clear();
    txFirings.clear();
    txEvaluations = 0;
    txEvaluationNanos = 0;
  }

  /** Retention removed these rows: forget them too. Call on the writer's context. */
  public void forget(Collection<String> orderIds, Collection<String> fillIds) {
    cache.forget(orderIds, fillIds);
  }

  /** The active alerts, and each symbol's last quoted prices (a crossing's "before"), as committed. */
  private void loadAlerts(JdbcSession tx) throws SQLException {
    AlertStore.active(tx).forEach(alerts::put);
    AlertStore.lastPrices(tx, (symbol, bid, ask) -> {
      alerts.setLastPrice(symbol, Alert.Kind.BID, bid);
      alerts.setLastPrice(symbol, Alert.Kind.ASK, ask);
      alerts.setLastPrice(symbol, Alert.Kind.MID, QuoteLifecycle.mid(bid, ask));
    });
    alerts.committed(); // read from what is committed: nothing to undo whatever becomes of this transaction
    alertsLoaded = true;
  }

  /** The committed book as cached, with what this run loaded. */
  private BookState state(BookRows.Loaded loaded) {
    return new BookState() {
      @Override
      public Order order(String orderId) {
        return cache.order(orderId);
      }

      @Override
      public Fill fill(String fillId) {
        return cache.fill(fillId);
      }

      @Override
      public Quote quote(String quoteId) {
        return loaded.quotes().get(quoteId);
      }

      @Override
      public StoredPosition position(PositionKey key) {
        return cache.position(key);
      }

      @Override
      public String ownerOfExternalId(String externalOrderId) {
        return loaded.externalIdOwners().get(externalOrderId);
      }

      @Override
      public Alert alert(String alertId) {
        return loaded.alerts().get(alertId);
      }

      @Override
      public BigDecimal mark(String symbol) {
        return marks.markAt(symbol, clock.millis());
      }
    };
  }
}
