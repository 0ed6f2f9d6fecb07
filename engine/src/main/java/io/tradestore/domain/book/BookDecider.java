package io.tradestore.domain.book;

import io.tradestore.domain.Decision;
import io.tradestore.domain.Refusal;
import io.tradestore.domain.alert.Alert;
import io.tradestore.domain.alert.AlertEvaluator;
import io.tradestore.domain.alert.AlertFiring;
import io.tradestore.domain.alert.AlertIndex;
import io.tradestore.domain.alert.AlertRules;
import io.tradestore.domain.book.BookResult.AlertResult;
import io.tradestore.domain.book.BookResult.AlertsExpired;
import io.tradestore.domain.book.BookResult.FillResult;
import io.tradestore.domain.book.BookResult.OrderResult;
import io.tradestore.domain.book.BookResult.QuoteResult;
import io.tradestore.domain.book.TradingCommand.CancelAlert;
import io.tradestore.domain.book.TradingCommand.CreateAlert;
import io.tradestore.domain.book.TradingCommand.ExpireAlerts;
import io.tradestore.domain.book.TradingCommand.PlaceOrder;
import io.tradestore.domain.book.TradingCommand.RecordFill;
import io.tradestore.domain.book.TradingCommand.ReportOrder;
import io.tradestore.domain.book.TradingCommand.SubmitQuote;
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

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Decides a run of trading commands, in order, against a {@link BookState}: each command sees what the ones
 * before it in the run changed. A command is answered with its result (changed, or a resend of what is stored)
 * or refused with nothing changed; what the changes imply to write and publish gathers in {@link #changes()}.
 * The rules themselves are {@link OrderStateMachine}, {@link PositionLedger}, {@link QuoteLifecycle} and
 * {@link AlertRules}. A quote, and a fill's position change, fire the alerts they meet in the same decision, so
 * they commit together; the {@link AlertIndex} is changed as the run decides (the shell commits or rolls it back
 * with the transaction).
 */
public final class BookDecider implements TradingCommand.Visitor<Decision<? extends BookResult>> {
  private final BookState state;
  private final Clock clock;
  private final BookChanges changes = new BookChanges();
  // what this run changed, consulted before the state
  private final Map<String, Quote> quotes = new HashMap<>();
  private final Map<String, Order> orders = new HashMap<>();
  private final Map<String, Fill> fills = new HashMap<>();
  private final Map<PositionKey, StoredPosition> positions = new HashMap<>();
  private final Map<String, String> externalIdOwners = new HashMap<>();
  private final Map<String, Alert> alerts = new HashMap<>();
  private final Map<String, BigDecimal> marks = new HashMap<>();
  private final AlertIndex alertIndex;
  private final AlertEvaluator alertEvaluator;
  private long alertEvaluations;
  private long alertEvaluationNanos;

  public BookDecider(BookState state, AlertIndex alertIndex, Clock clock) {
    this.state = state;
    this.clock = clock;
    this.alertIndex = alertIndex;
    this.alertEvaluator = new AlertEvaluator(alertIndex);
  }

  public Decision<? extends BookResult> decide(TradingCommand<?> command) {
    return command.accept(this);
  }

  /** The quotes and position changes whose alerts were evaluated so far. */
  public long alertEvaluations() {
    return alertEvaluations;
  }

  /** The time those evaluations took together. */
  public long alertEvaluationNanos() {
    return alertEvaluationNanos;
  }

  /** The rows and events of every command decided so far. */
  public BookChanges changes() {
    return changes;
  }

  @Override
  public Decision<QuoteResult> submitQuote(SubmitQuote command) {
    Quote candidate = command.quote();
    Quote existing = quote(candidate.quoteId());
    if (existing != null) {
      return existing.sameContentAs(candidate)
          ? Decision.duplicate(new QuoteResult(existing, true))
          : Decision.refused(Refusal.conflict("quoteId",
              "quoteId " + candidate.quoteId() + " was already submitted with different content"));
    }
    if (candidate.expiresAt() != null && candidate.expiresAt() <= candidate.createdAt()) {
      return Decision.refused(Refusal.invalid("expiresAt", "expiresAt is not in the future"));
    }
    quotes.put(candidate.quoteId(), candidate);
    changes.addQuote(candidate);
    changes.add(new BookEvent.QuoteSubmitted(candidate));
    marks.put(candidate.symbol(), candidate.midPrice());
    long begin = System.nanoTime();
    alertsMoved(alertEvaluator.onQuote(candidate, key -> position(key).position(), clock.millis()));
    evaluated(begin);
    return Decision.changed(new QuoteResult(candidate, false));
  }

  @Override
  public Decision<OrderResult> placeOrder(PlaceOrder command) {
    Order candidate = command.order();
    Order existing = order(candidate.orderId());
    if (existing != null) {
      return existing.sameRequestAs(candidate)
          ? Decision.duplicate(new OrderResult(existing, true))
          : Decision.refused(Refusal.conflict("orderId",
              "orderId " + candidate.orderId() + " was already placed with different content"));
    }
    Quote used = null;
    if (candidate.quoteId() != null) {
      Quote quote = quote(candidate.quoteId());
      if (quote == null) {
        return Decision.refused(Refusal.notFound("quoteId", "no quote " + candidate.quoteId()));
      }
      // checked when the writer decides, not when the request arrived: a quote may expire while it queues
      String refusal = QuoteLifecycle.whyNotUsable(quote, candidate.symbol(), clock.millis());
      if (refusal != null) {
        return Decision.refused(Refusal.conflict("quoteId", refusal));
      }
      // placing the order and using up its quote are one transaction: both happen or neither
      used = quote.withStatus(QuoteStatus.USED, candidate.orderId(), candidate.createdAt());
      quotes.put(used.quoteId(), used);
      changes.changeQuote(used);
    }
    orders.put(candidate.orderId(), candidate);
    changes.addOrder(candidate);
    changes.add(new BookEvent.OrderPlaced(candidate));
    if (used != null) {
      changes.add(new BookEvent.QuoteUsed(used, candidate.createdAt()));
    }
    return Decision.changed(new OrderResult(candidate, false));
  }

  @Override
  public Decision<OrderResult> reportOrder(ReportOrder command) {
    Order order = order(command.orderId());
    if (order == null) {
      return Decision.refused(Refusal.notFound("orderId", "no order " + command.orderId()));
    }
    String external = command.externalOrderId();
    if (external != null && !external.equals(order.externalOrderId())) {
      String owner = ownerOfExternalId(external);
      if (owner != null && !owner.equals(order.orderId())) {
        return Decision.refused(Refusal.conflict("externalOrderId",
            "externalOrderId " + external + " already belongs to order " + owner));
      }
    }
    Outcome outcome = OrderStateMachine.venueUpdate(order, command.status(), external, command.reason(), clock.millis());
    if (outcome instanceof Outcome.Duplicate duplicate) {
      return Decision.duplicate(new OrderResult(duplicate.order(), true));
    }
    if (outcome instanceof Outcome.Refused refused) {
      return Decision.refused(Refusal.conflict(refused.field(), refused.message()));
    }
    Order changed = ((Outcome.Changed) outcome).order();
    if (changed.externalOrderId() != null) {
      externalIdOwners.put(changed.externalOrderId(), changed.orderId());
    }
    change(changed);
    changes.add(new BookEvent.OrderUpdated(changed, order.status()));
    return Decision.changed(new OrderResult(changed, false));
  }

  @Override
  public Decision<FillResult> recordFill(RecordFill command) {
    long now = clock.millis();
    Fill existing = fill(command.fillId());
    if (existing != null) {
      return resend(existing, command);
    }
    Order order = order(command.orderId());
    if (order == null) {
      return Decision.refused(Refusal.notFound("orderId", "no order " + command.orderId()));
    }
    Outcome outcome = OrderStateMachine.fill(order, command.quantity(), command.price(), now);
    if (outcome instanceof Outcome.Refused refused) {
      return Decision.refused(Refusal.conflict(refused.field(), refused.message()));
    }
    Order filled = ((Outcome.Changed) outcome).order();
    Fill fill = new Fill(command.fillId(), order.orderId(), order.account(), order.symbol(), order.side(),
        command.price(), command.quantity(), command.fee(), command.feeAsset(), command.liquidity(), command.tradeId(),
        OrderStateMachine.isLateFill(order.status()),
        command.executedAt() != null ? command.executedAt() : command.receivedAt(), now);
    PositionKey key = new PositionKey(order.account(), order.symbol());
    Position after = PositionLedger.apply(position(key).position(), order.side(), fill.quantity(), fill.price(),
        fill.fee(), fill.feeAsset());
    StoredPosition stored = new StoredPosition(after, fill.fillId(), now);
    change(filled);
    fills.put(fill.fillId(), fill);
    changes.addFill(fill);
    positions.put(key, stored);
    changes.changePosition(key, stored);
    changes.add(new BookEvent.FillRecorded(fill));
    changes.add(new BookEvent.OrderUpdated(filled, order.status()));
    changes.add(new BookEvent.PositionChanged(after, fill.fillId(), now));
    long begin = System.nanoTime();
    alertsMoved(alertEvaluator.onPosition(after, mark(order.symbol()), fill.fillId(), now));
    evaluated(begin);
    return Decision.changed(new FillResult(fill, filled, stored, false));
  }

  @Override
  public Decision<AlertResult> createAlert(CreateAlert command) {
    Alert candidate = command.alert();
    Alert existing = alert(candidate.alertId());
    if (existing != null) {
      return existing.sameRequestAs(candidate)
          ? Decision.duplicate(new AlertResult(existing, true))
          : Decision.refused(Refusal.conflict("alertId",
              "alertId " + candidate.alertId() + " was already created with different content"));
    }
    if (candidate.expiresAt() != null && candidate.expiresAt() <= candidate.createdAt()) {
      return Decision.refused(Refusal.invalid("expiresAt", "expiresAt is not in the future"));
    }
    alertChanged(candidate);
    changes.addAlert(candidate);
    changes.add(new BookEvent.AlertCreated(candidate));
    return Decision.changed(new AlertResult(candidate, false));
  }

  @Override
  public Decision<AlertResult> cancelAlert(CancelAlert command) {
    Alert alert = alert(command.alertId());
    if (alert == null) {
      return Decision.refused(Refusal.notFound("alertId", "no alert " + command.alertId()));
    }
    AlertRules.Outcome outcome = AlertRules.cancel(alert, clock.millis());
    if (outcome instanceof AlertRules.Outcome.Duplicate duplicate) {
      return Decision.duplicate(new AlertResult(duplicate.alert(), true));
    }
    if (outcome instanceof AlertRules.Outcome.Refused refused) {
      return Decision.refused(Refusal.conflict("alertId", refused.message()));
    }
    Alert cancelled = ((AlertRules.Outcome.Changed) outcome).alert();
    alertChanged(cancelled);
    changes.changeAlert(cancelled);
    changes.add(new BookEvent.AlertCancelled(cancelled));
    return Decision.changed(new AlertResult(cancelled, false));
  }

  @Override
  public Decision<AlertsExpired> expireAlerts(ExpireAlerts command) {
    long now = clock.millis();
    List<Alert> expired = new ArrayList<>();
    for (Alert due : alertIndex.expiredBy(now, command.limit())) {
      Alert after = AlertRules.expire(due, now);
      alertChanged(after);
      changes.changeAlert(after);
      changes.add(new BookEvent.AlertExpired(after));
      expired.add(after);
    }
    return Decision.changed(new AlertsExpired(expired, alertIndex.nextExpiry()));
  }

  /** The alerts a quote or a position change fired or armed again: their rows, and an event per firing. */
  private void alertsMoved(AlertEvaluator.Evaluation evaluation) {
    for (Alert changed : evaluation.changed()) {
      alerts.put(changed.alertId(), changed); // the evaluator has put it into the index already
      changes.changeAlert(changed);
    }
    for (AlertFiring firing : evaluation.firings()) {
      changes.addFiring(firing);
      changes.add(new BookEvent.AlertTriggered(firing));
    }
  }

  private void evaluated(long beganAt) {
    alertEvaluations++;
    alertEvaluationNanos += System.nanoTime() - beganAt;
  }

  private void alertChanged(Alert alert) {
    alerts.put(alert.alertId(), alert);
    alertIndex.put(alert);
  }

  /** What this run made of the alert, else the active one indexed, else the stored one. */
  private Alert alert(String alertId) {
    Alert alert = alerts.get(alertId);
    if (alert == null) {
      alert = alertIndex.get(alertId);
    }
    return alert != null ? alert : state.alert(alertId);
  }

  /** The mark of a quote earlier in this run, else the committed fresh one. */
  private BigDecimal mark(String symbol) {
    BigDecimal mark = marks.get(symbol);
    return mark != null ? mark : state.mark(symbol);
  }

  /** A resend of a recorded fill: the same execution answers today's state and changes nothing; another is 409. */
  private Decision<FillResult> resend(Fill existing, RecordFill command) {
    Fill resent = new Fill(command.fillId(), command.orderId(), existing.account(), existing.symbol(), existing.side(),
        command.price(), command.quantity(), command.fee(), command.feeAsset(), command.liquidity(), command.tradeId(),
        existing.late(), command.executedAt() != null ? command.executedAt() : command.receivedAt(),
        existing.recordedAt());
    if (!existing.sameExecutionAs(resent, command.executedAt() != null)) {
      return Decision.refused(Refusal.conflict("fillId",
          "fillId " + command.fillId() + " was already recorded with different content"));
    }
    Order order = order(existing.orderId());
    return Decision.duplicate(new FillResult(existing, order,
        position(new PositionKey(existing.account(), existing.symbol())), true));
  }

  private void change(Order changed) {
    orders.put(changed.orderId(), changed);
    changes.changeOrder(changed);
  }

  private Quote quote(String quoteId) {
    return changedOrStored(quotes, quoteId, state::quote);
  }

  private Order order(String orderId) {
    return changedOrStored(orders, orderId, state::order);
  }

  private Fill fill(String fillId) {
    return changedOrStored(fills, fillId, state::fill);
  }

  private StoredPosition position(PositionKey key) {
    return changedOrStored(positions, key, state::position);
  }

  private String ownerOfExternalId(String externalOrderId) {
    return changedOrStored(externalIdOwners, externalOrderId, state::ownerOfExternalId);
  }

  /** What this run made of the row, else the state's. */
  private static <K, V> V changedOrStored(Map<K, V> changed, K key, Function<K, V> stored) {
    V value = changed.get(key);
    return value != null ? value : stored.apply(key);
  }
}
