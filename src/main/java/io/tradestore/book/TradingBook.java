package io.tradestore.book;

import io.tradestore.CommandFailure;
import io.tradestore.ErrorCode;
import io.tradestore.domain.book.BookResult.FillResult;
import io.tradestore.domain.book.BookResult.OrderResult;
import io.tradestore.domain.book.BookResult.QuoteResult;
import io.tradestore.domain.book.BookResult;
import io.tradestore.domain.book.TradingCommand.PlaceOrder;
import io.tradestore.domain.book.TradingCommand.RecordFill;
import io.tradestore.domain.book.TradingCommand.ReportOrder;
import io.tradestore.domain.book.TradingCommand.SubmitQuote;
import io.tradestore.domain.book.TradingCommand;
import io.tradestore.domain.fill.Fill;
import io.tradestore.domain.order.Order;
import io.tradestore.domain.order.OrderStateMachine.Outcome;
import io.tradestore.domain.order.OrderStateMachine;
import io.tradestore.domain.position.Position;
import io.tradestore.domain.position.PositionKey;
import io.tradestore.domain.position.PositionLedger;
import io.tradestore.domain.position.StoredPosition;
import io.tradestore.domain.quote.Quote.QuoteStatus;
import io.tradestore.domain.quote.Quote;
import io.tradestore.domain.quote.QuoteLifecycle;
import io.tradestore.fill.FillJson;
import io.tradestore.fill.FillStore;
import io.tradestore.order.OrderEvents;
import io.tradestore.order.OrderStore;
import io.tradestore.outbox.ClaimedEvent;
import io.tradestore.outbox.EventTypes;
import io.tradestore.outbox.OutboxAppender;
import io.tradestore.outbox.OutboxEvent;
import io.tradestore.outbox.OutboxFeed;
import io.tradestore.position.PositionJson;
import io.tradestore.position.PositionStore;
import io.tradestore.quote.QuoteEvents;
import io.tradestore.quote.QuoteStore;
import io.tradestore.store.BatchProcessor;
import io.tradestore.store.JdbcSession;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The desk's book: quotes submitted, orders, fills and positions, decided in memory and written in batches. The single writer hands
 * it every run of consecutive order and fill commands; it loads what it does not hold yet with one query per
 * kind, decides each command in order with the pure rules ({@link OrderStateMachine}, {@link PositionLedger},
 * {@link QuoteLifecycle}), then writes the whole run with one statement batch per kind: orders, quotes, fills,
 * positions, outbox. That is a handful of round trips per run instead of several per command, which is what
 * makes group commit pay (docs/performance.md).
 *
 * <p>Recently used orders, recent fills and every position stay in memory, so a fill usually needs no read
 * before its write. The memory only ever holds committed state: what a run loads or changes is kept apart until
 * the writer reports the commit, and dropped on a rollback. Used by the writer only, one call at a time: runs on
 * a worker thread (they block on JDBC), the commit and rollback reports and {@link #forget} on the writer's context.
 */
public final class TradingBook implements BatchProcessor<TradingCommand<?>> {
  // about 1 KB each in memory: bounded so the engine fits a small heap (the bench runs it in 256 MiB); orders and
  // fills beyond these are simply read again when a command names them
  private static final int ORDERS_KEPT = 20_000;
  private static final int FILLS_KEPT = 20_000;

  private final Clock clock;
  private final OutboxFeed feed;
  private final Map<String, Order> orders = recent(ORDERS_KEPT);
  private final Map<String, Fill> fills = recent(FILLS_KEPT);
  private final Map<PositionKey, StoredPosition> positions = new HashMap<>();

  // this transaction's rows, loaded or changed: applied to the maps above on commit, dropped on rollback
  private final Map<String, Order> txOrders = new HashMap<>();
  private final Map<String, Fill> txFills = new HashMap<>();
  private final Map<PositionKey, StoredPosition> txPositions = new HashMap<>();
  /** Positions looked up in this transaction and not found: flat, truly. */
  private final Set<PositionKey> txAbsentPositions = new HashSet<>();
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
    Run run = new Run(tx, commands);
    run.load();
    List<Object> outcomes = run.decideAll();
    run.write();
    return outcomes;
  }

  @Override
  public void committed() {
    orders.putAll(txOrders);
    fills.putAll(txFills);
    positions.putAll(txPositions);
    List<ClaimedEvent> committed = List.copyOf(txEvents);
    rolledBack();
    feed.committed(committed);
  }

  @Override
  public void rolledBack() {
    txOrders.clear();
    txFills.clear();
    txPositions.clear();
    txAbsentPositions.clear();
    txEvents.clear();
  }

  /** Retention removed these rows: forget them too. Call on the writer's context. */
  public void forget(Collection<String> orderIds, Collection<String> fillIds) {
    orderIds.forEach(orders::remove);
    orderIds.forEach(txOrders::remove); // an earlier run of this same transaction may have loaded them
    fillIds.forEach(fills::remove);
    fillIds.forEach(txFills::remove);
  }

  private Order order(String orderId) {
    Order o = txOrders.get(orderId);
    return o != null ? o : orders.get(orderId);
  }

  private Fill fill(String fillId) {
    Fill f = txFills.get(fillId);
    return f != null ? f : fills.get(fillId);
  }

  /**
   * The position as stored (or as this transaction left it). Flat only when the database was asked and has none:
   * a position never loaded is a bug, and starting it from zero would overwrite the stored one.
   */
  private StoredPosition position(PositionKey key) {
    StoredPosition s = txPositions.get(key);
    if (s == null) {
      s = positions.get(key);
    }
    if (s != null) {
      return s;
    }
    if (!txAbsentPositions.contains(key)) {
      throw new IllegalStateException("position " + key + " used before it was loaded");
    }
    return new StoredPosition(Position.flat(key.account(), key.symbol()), null, 0L);
  }

  /** One run of commands inside one transaction: what it loads, what it decides, what it writes. */
  private final class Run implements TradingCommand.Visitor<BookResult> {
    private final JdbcSession tx;
    private final List<TradingCommand<?>> commands;
    private final Map<String, Quote> quotes = new HashMap<>();
    private final Map<String, String> externalIdOwners = new HashMap<>();
    private final List<Quote> newQuotes = new ArrayList<>();
    private final List<Order> newOrders = new ArrayList<>();
    private final Map<String, Order> changedOrders = new LinkedHashMap<>();
    private final Map<String, Quote> changedQuotes = new LinkedHashMap<>();
    private final List<Fill> newFills = new ArrayList<>();
    private final Map<PositionKey, StoredPosition> changedPositions = new LinkedHashMap<>();
    private final List<OutboxEvent> events = new ArrayList<>();

    Run(JdbcSession tx, List<TradingCommand<?>> commands) {
      this.tx = tx;
      this.commands = commands;
    }

    /** Fills first (a resend names the order it was on), then orders, then positions; quotes and venue ids. */
    void load() throws SQLException {
      Set<String> fillIds = new HashSet<>();
      Set<String> quoteIds = new HashSet<>();
      Set<String> externalIds = new HashSet<>();
      for (TradingCommand<?> c : commands) {
        if (c instanceof RecordFill f && fill(f.fillId()) == null) {
          fillIds.add(f.fillId());
        } else if (c instanceof PlaceOrder p && p.order().quoteId() != null) {
          quoteIds.add(p.order().quoteId());
        } else if (c instanceof SubmitQuote q) {
          quoteIds.add(q.quote().quoteId());
        } else if (c instanceof ReportOrder r && r.externalOrderId() != null) {
          externalIds.add(r.externalOrderId());
        }
      }
      FillStore.findAll(tx, fillIds).forEach(f -> txFills.put(f.fillId(), f));

      Set<String> orderIds = new HashSet<>();
      for (TradingCommand<?> c : commands) {
        if (c.orderId() != null) {
          orderIds.add(c.orderId());
        }
        if (c instanceof RecordFill f && fill(f.fillId()) != null) {
          orderIds.add(fill(f.fillId()).orderId());
        }
      }
      orderIds.removeIf(id -> order(id) != null);
      txOrders.putAll(OrderStore.findAll(tx, orderIds));

      Set<PositionKey> keys = new HashSet<>();
      for (TradingCommand<?> c : commands) {
        if (c instanceof PlaceOrder p) {
          // a fill later in this run may be on it: its position must come from the database, not from zero
          keys.add(new PositionKey(p.order().account(), p.order().symbol()));
        } else if (c instanceof RecordFill f) {
          Fill existing = fill(f.fillId());
          Order o = order(existing != null ? existing.orderId() : f.orderId());
          if (o != null) {
            keys.add(new PositionKey(o.account(), o.symbol()));
          }
        }
      }
      keys.removeIf(k -> txPositions.containsKey(k) || positions.containsKey(k));
      Map<PositionKey, StoredPosition> loaded = PositionStore.findAll(tx, keys);
      keys.stream().filter(k -> !loaded.containsKey(k)).forEach(txAbsentPositions::add);
      txPositions.putAll(loaded);

      quotes.putAll(QuoteStore.findAll(tx, quoteIds));
      externalIdOwners.putAll(OrderStore.ownersOfExternalIds(tx, externalIds));
    }

    List<Object> decideAll() {
      List<Object> outcomes = new ArrayList<>(commands.size());
      for (TradingCommand<?> c : commands) {
        try {
          outcomes.add(c.accept(this));
        } catch (CommandFailure refused) {
          outcomes.add(refused);
        }
      }
      return outcomes;
    }

    /**
     * New quotes first (an order of this run may use one), orders before the fills that reference them; outbox
     * last, in the order the events were decided.
     */
    void write() throws SQLException {
      // the payloads are built and encoded on a helper thread while the tables' rows are written
      CompletableFuture<List<String>> payloads = OutboxAppender.encodeAhead(events);
      QuoteStore.insertAll(tx, newQuotes);
      OrderStore.insertAll(tx, newOrders);
      OrderStore.updateAll(tx, changedOrders.values());
      QuoteStore.updateStatusAll(tx, changedQuotes.values());
      FillStore.insertAll(tx, newFills);
      PositionStore.upsertAll(tx, changedPositions.values());
      txEvents.addAll(OutboxAppender.append(tx, events, payloads));
    }

    @Override
    public QuoteResult submitQuote(SubmitQuote command) {
      return submit(command.quote());
    }

    @Override
    public OrderResult placeOrder(PlaceOrder command) {
      return place(command.order());
    }

    @Override
    public OrderResult reportOrder(ReportOrder command) {
      return report(command);
    }

    @Override
    public FillResult recordFill(RecordFill command) {
      return record(command);
    }

    private QuoteResult submit(Quote candidate) {
      Quote existing = quotes.get(candidate.quoteId());
      if (existing != null) {
        if (existing.sameContentAs(candidate)) {
          return new QuoteResult(existing, true);
        }
        throw conflict("quoteId " + candidate.quoteId() + " was already submitted with different content", "quoteId");
      }
      if (candidate.expiresAt() != null && candidate.expiresAt() <= candidate.createdAt()) {
        throw CommandFailure.invalid("expiresAt", "expiresAt is not in the future");
      }
      quotes.put(candidate.quoteId(), candidate);
      newQuotes.add(candidate);
      events.add(QuoteEvents.of(EventTypes.QUOTE_SUBMITTED, candidate, candidate.createdAt()));
      return new QuoteResult(candidate, false);
    }

    private OrderResult place(Order candidate) {
      Order existing = order(candidate.orderId());
      if (existing != null) {
        if (existing.sameRequestAs(candidate)) {
          return new OrderResult(existing, true);
        }
        throw conflict("orderId " + candidate.orderId() + " was already placed with different content", "orderId");
      }
      List<OutboxEvent> quoteEvents = new ArrayList<>();
      if (candidate.quoteId() != null) {
        Quote quote = quotes.get(candidate.quoteId());
        if (quote == null) {
          throw new CommandFailure(ErrorCode.NOT_FOUND, "no quote " + candidate.quoteId(), "quoteId");
        }
        // checked when the writer decides, not when the request arrived: a quote may expire while it queues
        String refusal = QuoteLifecycle.whyNotUsable(quote, candidate.symbol(), clock.millis());
        if (refusal != null) {
          throw conflict(refusal, "quoteId");
        }
        // placing the order and using up its quote are one transaction: both happen or neither
        Quote used = quote.withStatus(QuoteStatus.USED, candidate.orderId(), candidate.createdAt());
        quotes.put(used.quoteId(), used);
        changedQuotes.put(used.quoteId(), used);
        quoteEvents.add(QuoteEvents.of(EventTypes.QUOTE_USED, used, candidate.createdAt()));
      }
      txOrders.put(candidate.orderId(), candidate);
      newOrders.add(candidate);
      events.add(OrderEvents.of(EventTypes.ORDER_PLACED, candidate, null));
      events.addAll(quoteEvents);
      return new OrderResult(candidate, false);
    }

    private OrderResult report(ReportOrder r) {
      Order order = order(r.orderId());
      if (order == null) {
        throw new CommandFailure(ErrorCode.NOT_FOUND, "no order " + r.orderId(), "orderId");
      }
      String external = r.externalOrderId();
      if (external != null && !external.equals(order.externalOrderId())) {
        String owner = externalIdOwners.get(external);
        if (owner != null && !owner.equals(order.orderId())) {
          throw conflict("externalOrderId " + external + " already belongs to order " + owner, "externalOrderId");
        }
      }
      Outcome outcome = OrderStateMachine.venueUpdate(order, r.status(), external, r.reason(), clock.millis());
      if (outcome instanceof Outcome.Duplicate duplicate) {
        return new OrderResult(duplicate.order(), true);
      }
      if (outcome instanceof Outcome.Refused refused) {
        throw conflict(refused.message(), refused.field());
      }
      Order changed = ((Outcome.Changed) outcome).order();
      if (changed.externalOrderId() != null) {
        externalIdOwners.put(changed.externalOrderId(), changed.orderId());
      }
      change(changed);
      events.add(OrderEvents.of(EventTypes.ORDER_UPDATED, changed, order.status()));
      return new OrderResult(changed, false);
    }

    private FillResult record(RecordFill f) {
      long now = clock.millis();
      Fill existing = fill(f.fillId());
      if (existing != null) {
        return resend(existing, f);
      }
      Order order = order(f.orderId());
      if (order == null) {
        throw new CommandFailure(ErrorCode.NOT_FOUND, "no order " + f.orderId(), "orderId");
      }
      Outcome outcome = OrderStateMachine.fill(order, f.quantity(), f.price(), now);
      if (outcome instanceof Outcome.Refused refused) {
        throw conflict(refused.message(), refused.field());
      }
      Order filled = ((Outcome.Changed) outcome).order();
      Fill fill = new Fill(f.fillId(), order.orderId(), order.account(), order.symbol(), order.side(), f.price(),
          f.quantity(), f.fee(), f.feeAsset(), f.liquidity(), f.tradeId(), OrderStateMachine.isLateFill(order.status()),
          f.executedAt() != null ? f.executedAt() : f.receivedAt(), now);
      PositionKey key = new PositionKey(order.account(), order.symbol());
      Position after = PositionLedger.apply(position(key).position(), order.side(), fill.quantity(), fill.price(),
          fill.fee(), fill.feeAsset());
      StoredPosition stored = new StoredPosition(after, fill.fillId(), now);
      change(filled);
      txFills.put(fill.fillId(), fill);
      newFills.add(fill);
      txPositions.put(key, stored);
      changedPositions.put(key, stored);
      events.add(OutboxEvent.deferred(EventTypes.FILL_RECORDED, "order", order.orderId(), () -> FillJson.of(fill), now));
      events.add(OrderEvents.of(EventTypes.ORDER_UPDATED, filled, order.status()));
      events.add(OutboxEvent.deferred(EventTypes.POSITION_CHANGED, "position", after.account() + "/" + after.symbol(),
          () -> PositionJson.of(after, null, fill.fillId(), now), now));
      return new FillResult(fill, filled, stored, false);
    }

    /** A resend of a recorded fill: same execution answers today's state and changes nothing; else 409. */
    private FillResult resend(Fill existing, RecordFill f) {
      Fill resent = new Fill(f.fillId(), f.orderId(), existing.account(), existing.symbol(), existing.side(), f.price(),
          f.quantity(), f.fee(), f.feeAsset(), f.liquidity(), f.tradeId(), existing.late(),
          f.executedAt() != null ? f.executedAt() : f.receivedAt(), existing.recordedAt());
      if (!existing.sameExecutionAs(resent, f.executedAt() != null)) {
        throw conflict("fillId " + f.fillId() + " was already recorded with different content", "fillId");
      }
      Order order = order(existing.orderId());
      return new FillResult(existing, order, position(new PositionKey(existing.account(), existing.symbol())), true);
    }

    private void change(Order changed) {
      txOrders.put(changed.orderId(), changed);
      changedOrders.put(changed.orderId(), changed);
    }
  }

  private static CommandFailure conflict(String message, String field) {
    return new CommandFailure(ErrorCode.CONFLICT, message, field);
  }

  /** A map that forgets its least recently used entries beyond {@code limit}. */
  private static <K, V> Map<K, V> recent(int limit) {
    return new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > limit;
      }
    };
  }
}
