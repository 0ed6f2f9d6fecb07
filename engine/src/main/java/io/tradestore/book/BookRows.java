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
    Set<String> fillIds = new HashSet<>();
    Set<String> quoteIds = new HashSet<>();
    Set<String> externalIds = new HashSet<>();
    for (TradingCommand<?> c : commands) {
      if (c instanceof RecordFill f && cache.fill(f.fillId()) == null) {
        fillIds.add(f.fillId());
      } else if (c instanceof PlaceOrder p && p.order().quoteId() != null) {
        quoteIds.add(p.order().quoteId());
      } else if (c instanceof SubmitQuote q) {
        quoteIds.add(q.quote().quoteId());
      } else if (c instanceof ReportOrder r && r.externalOrderId() != null) {
        externalIds.add(r.externalOrderId());
      }
    }
    FillStore.findAll(tx, fillIds).forEach(cache::loadedFill);

    Set<String> orderIds = new HashSet<>();
    for (TradingCommand<?> c : commands) {
      if (c.orderId() != null) {
        orderIds.add(c.orderId());
      }
      if (c instanceof RecordFill f && cache.fill(f.fillId()) != null) {
        orderIds.add(cache.fill(f.fillId()).orderId());
      }
    }
    orderIds.removeIf(id -> cache.order(id) != null);
    cache.loadedOrders(OrderStore.findAll(tx, orderIds));

    Set<PositionKey> keys = new HashSet<>();
    for (TradingCommand<?> c : commands) {
      if (c instanceof PlaceOrder p) {
        // a fill later in this run may be on it: its position must come from the database, not from zero
        keys.add(new PositionKey(p.order().account(), p.order().symbol()));
      } else if (c instanceof RecordFill f) {
        Fill existing = cache.fill(f.fillId());
        Order o = cache.order(existing != null ? existing.orderId() : f.orderId());
        if (o != null) {
          keys.add(new PositionKey(o.account(), o.symbol()));
        }
      }
    }
    keys.removeIf(cache::knowsPosition);
    cache.loadedPositions(keys, PositionStore.findAll(tx, keys));

    return new Loaded(QuoteStore.findAll(tx, quoteIds), OrderStore.ownersOfExternalIds(tx, externalIds));
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
