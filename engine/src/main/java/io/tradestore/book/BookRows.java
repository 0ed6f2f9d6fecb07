package io.tradestore.book;

import io.tradestore.domain.book.BookChanges;
import io.tradestore.domain.book.TradingCommand.PlaceOrder;
import io.tradestore.domain.book.TradingCommand.RecordFill;
import io.tradestore.domain.book.TradingCommand.ReportOrder;
import io.tradestore.domain.book.TradingCommand.SubmitQuote;
import io.tradestore.domain.book.TradingCommand;
import io.tradestore.domain.fill.Fill;
import io.tradestore.domain.order.Order;
import io.tradestore.domain.position.PositionKey;
import io.tradestore.domain.quote.Quote;
import io.tradestore.fill.FillStore;
import io.tradestore.order.OrderStore;
import io.tradestore.outbox.ClaimedEvent;
import io.tradestore.outbox.OutboxAppender;
import io.tradestore.outbox.OutboxEvent;
import io.tradestore.position.PositionStore;
import io.tradestore.quote.QuoteStore;
import io.tradestore.store.JdbcSession;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The book's rows, read and written through the writer's JDBC session: for a run of commands, one query per kind
 * loads what they name and the cache lacks, and one statement batch per kind writes what they changed. That is a
 * handful of round trips per run instead of several per command, which is what makes group commit pay.
 */
final class BookRows {
  private BookRows() { }

  /** What a run needs that the cache does not keep: the quotes it names and the owners of venue order ids. */
  record Loaded(Map<String, Quote> quotes, Map<String, String> externalIdOwners) { }

  /** Fills first (a resend names the order it was on), then orders, then positions; quotes and venue ids. */
  static Loaded load(JdbcSession tx, List<TradingCommand<?>> commands, BookCache cache) throws SQLException {
    NamedRows named = new NamedRows(cache);
    commands.forEach(c -> c.accept(named));
    FillStore.findAll(tx, named.fillIds).forEach(cache::loadedFill);

    NamedOrders orders = new NamedOrders(cache);
    commands.forEach(c -> c.accept(orders));
    orders.ids.removeIf(id -> cache.order(id) != null);
    cache.loadedOrders(OrderStore.findAll(tx, orders.ids));

    Set<PositionKey> keys = new HashSet<>();
    PositionNamed positions = new PositionNamed(cache);
    for (TradingCommand<?> c : commands) {
      PositionKey key = c.accept(positions);
      if (key != null) {
        keys.add(key);
      }
    }
    keys.removeIf(cache::knowsPosition);
    cache.loadedPositions(keys, PositionStore.findAll(tx, keys));

    return new Loaded(QuoteStore.findAll(tx, named.quoteIds), OrderStore.ownersOfExternalIds(tx, named.externalIds));
  }

  /** The fills (not cached), quotes and venue order ids a run names. */
  private static final class NamedRows implements TradingCommand.Visitor<Void> {
    final Set<String> fillIds = new HashSet<>();
    final Set<String> quoteIds = new HashSet<>();
    final Set<String> externalIds = new HashSet<>();
    private final BookCache cache;

    NamedRows(BookCache cache) {
      this.cache = cache;
    }

    @Override
    public Void submitQuote(SubmitQuote command) {
      quoteIds.add(command.quote().quoteId());
      return null;
    }

    @Override
    public Void placeOrder(PlaceOrder command) {
      if (command.order().quoteId() != null) {
        quoteIds.add(command.order().quoteId());
      }
      return null;
    }

    @Override
    public Void reportOrder(ReportOrder command) {
      if (command.externalOrderId() != null) {
        externalIds.add(command.externalOrderId());
      }
      return null;
    }

    @Override
    public Void recordFill(RecordFill command) {
      if (cache.fill(command.fillId()) == null) {
        fillIds.add(command.fillId());
      }
      return null;
    }
  }

  /** The orders a run names; for a resent fill also the order it was recorded on, which may differ. */
  private static final class NamedOrders implements TradingCommand.Visitor<Void> {
    final Set<String> ids = new HashSet<>();
    private final BookCache cache;

    NamedOrders(BookCache cache) {
      this.cache = cache;
    }

    @Override
    public Void submitQuote(SubmitQuote command) {
      return null;
    }

    @Override
    public Void placeOrder(PlaceOrder command) {
      return add(command.orderId());
    }

    @Override
    public Void reportOrder(ReportOrder command) {
      return add(command.orderId());
    }

    @Override
    public Void recordFill(RecordFill command) {
      Fill recorded = cache.fill(command.fillId());
      add(recorded != null ? recorded.orderId() : null);
      return add(command.orderId());
    }

    private Void add(String orderId) {
      if (orderId != null) {
        ids.add(orderId);
      }
      return null;
    }
  }

  /** The position a command may change, or null. */
  private static final class PositionNamed implements TradingCommand.Visitor<PositionKey> {
    private final BookCache cache;

    PositionNamed(BookCache cache) {
      this.cache = cache;
    }

    @Override
    public PositionKey submitQuote(SubmitQuote command) {
      return null;
    }

    @Override
    public PositionKey placeOrder(PlaceOrder command) {
      // a fill later in this run may be on it: its position must come from the database, not from zero
      return new PositionKey(command.order().account(), command.order().symbol());
    }

    @Override
    public PositionKey reportOrder(ReportOrder command) {
      return null;
    }

    @Override
    public PositionKey recordFill(RecordFill command) {
      Fill existing = cache.fill(command.fillId());
      Order o = cache.order(existing != null ? existing.orderId() : command.orderId());
      return o == null ? null : new PositionKey(o.account(), o.symbol());
    }
  }

  /**
   * New quotes first (an order of this run may use one), orders before the fills that reference them; outbox
   * last, in the order the events were decided. Returns the events with their seqs.
   */
  static List<ClaimedEvent> write(JdbcSession tx, BookChanges changes) throws SQLException {
    List<OutboxEvent> events = changes.events().stream().map(e -> e.accept(BookOutbox.INSTANCE)).toList();
    // the payloads are built and encoded on a helper thread while the tables' rows are written
    CompletableFuture<List<String>> payloads = OutboxAppender.encodeAhead(events);
    QuoteStore.insertAll(tx, changes.newQuotes());
    OrderStore.insertAll(tx, changes.newOrders());
    OrderStore.updateAll(tx, changes.changedOrders());
    QuoteStore.updateStatusAll(tx, changes.changedQuotes());
    FillStore.insertAll(tx, changes.newFills());
    PositionStore.upsertAll(tx, changes.positions().values());
    return OutboxAppender.append(tx, events, payloads);
  }
}
