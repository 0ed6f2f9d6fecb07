package io.tradestore.book;

import io.tradestore.CommandFailure;
import io.tradestore.domain.book.BookDecider;
import io.tradestore.domain.book.BookState;
import io.tradestore.domain.book.TradingCommand;
import io.tradestore.domain.fill.Fill;
import io.tradestore.domain.order.Order;
import io.tradestore.domain.position.PositionKey;
import io.tradestore.domain.position.StoredPosition;
import io.tradestore.domain.quote.Quote;
import io.tradestore.outbox.ClaimedEvent;
import io.tradestore.outbox.OutboxFeed;
import io.tradestore.store.BatchProcessor;
import io.tradestore.store.JdbcSession;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The desk's book of quotes, orders, fills and positions, as the single writer runs it: for each run of
 * consecutive trading commands it loads what they name ({@link BookRows}), has the {@link BookDecider} decide
 * them in order against the {@link BookCache} and what was loaded, and writes what they changed in one batch per
 * kind. Runs on a worker thread (it blocks on JDBC); the commit and rollback reports and {@link #forget} come on
 * the writer's context.
 */
public final class TradingBook implements BatchProcessor<TradingCommand<?>> {
  private final Clock clock;
  private final OutboxFeed feed;
  private final BookCache cache = new BookCache();
  /** This transaction's events with their seqs, for the outbox once it committed. */
  private final List<ClaimedEvent> txEvents = new ArrayList<>();

  /** A book whose committed events the outbox reads back from the table. */
  public TradingBook(Clock clock) {
    this(clock, new OutboxFeed());
  }

  /** A book that hands its committed events to the outbox through {@code feed}. */
  public TradingBook(Clock clock, OutboxFeed feed) {
    this.clock = clock;
    this.feed = feed;
  }

  @Override
  public List<Object> process(JdbcSession tx, List<TradingCommand<?>> commands) throws SQLException {
    BookRows.Loaded loaded = BookRows.load(tx, commands, cache);
    BookDecider decider = new BookDecider(state(loaded), clock);
    List<Object> outcomes = new ArrayList<>(commands.size());
    for (TradingCommand<?> command : commands) {
      outcomes.add(decider.decide(command).<Object>fold(result -> result, resent -> resent, CommandFailure::of));
    }
    cache.changed(decider.changes());
    txEvents.addAll(BookRows.write(tx, decider.changes()));
    return outcomes;
  }

  @Override
  public void committed() {
    cache.committed();
    List<ClaimedEvent> committed = List.copyOf(txEvents);
    txEvents.clear();
    feed.committed(committed);
  }

  @Override
  public void rolledBack() {
    cache.rolledBack();
    txEvents.clear();
  }

  /** Retention removed these rows: forget them too. Call on the writer's context. */
  public void forget(Collection<String> orderIds, Collection<String> fillIds) {
    cache.forget(orderIds, fillIds);
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
    };
  }
}
