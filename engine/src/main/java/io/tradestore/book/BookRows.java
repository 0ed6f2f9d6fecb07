package io.tradestore.book;

import io.tradestore.alert.AlertStore;
import io.tradestore.domain.alert.Alert;
import io.tradestore.domain.alert.AlertIndex;
import io.tradestore.domain.book.BookChanges;
import io.tradestore.domain.book.TradingCommand.CancelAlert;
import io.tradestore.domain.book.TradingCommand.CreateAlert;
import io.tradestore.domain.book.TradingCommand.ExpireAlerts;
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

  /**
   * What a run needs that the cache does not keep: the quotes it names, the owners of venue order ids, and the
   * alerts it names that are not active (finished, or none: the index holds the active ones).
   */
  record Loaded(Map<String, Quote> quotes, Map<String, String> externalIdOwners, Map<String, Alert> alerts) { }

  /**
   * Fills first (a resend names the order it was on), then orders, then positions (with those whose unrealized
   * PnL a quote's alerts watch); quotes, venue ids and alerts.
   */
  static Loaded load(JdbcSession tx, List<TradingCommand<?>> commands, BookCache cache, AlertIndex alerts)
      throws SQLException {
    NamedRows named = new NamedRows(cache, alerts);
    commands.forEach(c -> c.accept(named));
    FillStore.findAll(tx, named.fillIds).forEach(cache::loadedFill);

    NamedOrders orders = new NamedOrders(cache);
    commands.forEach(c -> c.accept(orders));
    orders.ids.removeIf(id -> cache.order(id) != null);
    cache.loadedOrders(OrderStore.findAll(tx, orders.ids));

    PositionNamed positions = new PositionNamed(cache, alerts);
    commands.forEach(c -> c.accept(positions));
    Set<PositionKey> keys = positions.keys;
    keys.removeIf(cache::knowsPosition);
    cache.loadedPositions(keys, PositionStore.findAll(tx, keys));

    return new Loaded(QuoteStore.findAll(tx, named.quoteIds), OrderStore.ownersOfExternalIds(tx, named.externalIds),
        AlertStore.findAll(tx, named.alertIds));
  }

  /** The fills (not cached), quotes, venue order ids and alerts (not active) a run names. */
  private static final class NamedRows implements TradingCommand.Visitor<Void> {
    final Set<String> fillIds = new HashSet<>();
    final Set<String> quoteIds = new HashSet<>();
    final Set<String> externalIds = new HashSet<>();
    final Set<String> alertIds = new HashSet<>();
    private final BookCache cache;
    private final AlertIndex alerts;

    NamedRows(BookCache cache, AlertIndex alerts) {
      this.cache = cache;
      this.alerts = alerts;
    }

    @Override
    public Void createAlert(CreateAlert command) {
      return alert(command.alert().alertId());
    }

    @Override
    public Void cancelAlert(CancelAlert command) {
      return alert(command.alertId());
    }

    @Override
    public Void expireAlerts(ExpireAlerts command) {
      return null; // only active alerts expire, and the index holds them
    }

    private Void alert(String alertId) {
      if (alerts.get(alertId) == null) {
        alertIds.add(alertId);
      }
      return null;
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

    @Override
    public Void createAlert(CreateAlert command) {
      return null;
    }

    @Override
    public Void cancelAlert(CancelAlert command) {
      return null;
    }

    @Override
    public Void expireAlerts(ExpireAlerts command) {
      return null;
    }

    private Void add(String orderId) {
      if (orderId != null) {
        ids.add(orderId);
      }
      return null;
    }
  }

  /** The positions a run may change or mark: a command's own, and those a quote's unrealized-PnL alerts watch. */
  private static final class PositionNamed implements TradingCommand.Visitor<Void> {
    final Set<PositionKey> keys = new HashSet<>();
    private final BookCache cache;
    private final AlertIndex alerts;

    PositionNamed(BookCache cache, AlertIndex alerts) {
      this.cache = cache;
      this.alerts = alerts;
    }

    @Override
    public Void submitQuote(SubmitQuote command) {
      alerts.unrealizedMovedBy(command.quote().symbol(), command.quote().midPrice())
          .forEach(a -> keys.add(new PositionKey(a.account(), a.symbol())));
      return null;
    }

    @Override
    public Void placeOrder(PlaceOrder command) {
      // a fill later in this run may be on it: its position must come from the database, not from zero
      keys.add(new PositionKey(command.order().account(), command.order().symbol()));
      return null;
    }

    @Override
    public Void reportOrder(ReportOrder command) {
      return null;
    }

    @Override
    public Void recordFill(RecordFill command) {
      Fill existing = cache.fill(command.fillId());
      Order o = cache.order(existing != null ? existing.orderId() : command.orderId());
      if (o != null) {
        keys.add(new PositionKey(o.account(), o.symbol()));
      }
      return null;
    }

    @Override
    public Void createAlert(CreateAlert command) {
      // a quote later in this run may mark the position it watches
      Alert alert = command.alert();
      if (!alert.kind().isPrice()) {
        keys.add(new PositionKey(alert.account(), alert.symbol()));
      }
      return null;
    }

    @Override
    public Void cancelAlert(CancelAlert command) {
      return null;
    }

    @Override
    public Void expireAlerts(ExpireAlerts command) {
      return null;
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
    AlertStore.insertAll(tx, changes.newAlerts());
    AlertStore.updateAll(tx, changes.changedAlerts());
    AlertStore.insertFirings(tx, changes.firings());
    return OutboxAppender.append(tx, events, payloads);
  }
}
