package io.tradestore.domain.book;

import io.tradestore.domain.alert.Alert;
import io.tradestore.domain.alert.AlertFiring;
import io.tradestore.domain.fill.Fill;
import io.tradestore.domain.order.Order;
import io.tradestore.domain.position.PositionKey;
import io.tradestore.domain.position.StoredPosition;
import io.tradestore.domain.quote.Quote;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows and events a run of decided commands implies, for the shell to write in one transaction: quotes and
 * orders new or changed (each changed one once, as it was last), fills, positions as they are after the run, alerts
 * new or changed and their firings, and the events in the order they were decided.
 */
public final class BookChanges {
  private final List<Quote> newQuotes = new ArrayList<>();
  private final Map<String, Quote> changedQuotes = new LinkedHashMap<>();
  private final List<Order> newOrders = new ArrayList<>();
  private final Map<String, Order> changedOrders = new LinkedHashMap<>();
  private final List<Fill> newFills = new ArrayList<>();
  private final Map<PositionKey, StoredPosition> positions = new LinkedHashMap<>();
  private final Map<String, Alert> newAlerts = new LinkedHashMap<>();
  private final Map<String, Alert> changedAlerts = new LinkedHashMap<>();
  private final List<AlertFiring> firings = new ArrayList<>();
  private final List<BookEvent> events = new ArrayList<>();

  void addQuote(Quote quote) {
    newQuotes.add(quote);
  }

  void changeQuote(Quote quote) {
    changedQuotes.put(quote.quoteId(), quote);
  }

  void addOrder(Order order) {
    newOrders.add(order);
  }

  void changeOrder(Order order) {
    changedOrders.put(order.orderId(), order);
  }

  void addFill(Fill fill) {
    newFills.add(fill);
  }

  void changePosition(PositionKey key, StoredPosition position) {
    positions.put(key, position);
  }

  void addAlert(Alert alert) {
    newAlerts.put(alert.alertId(), alert);
  }

  /** An alert changed; one created in this same run is inserted once, as it was last. */
  void changeAlert(Alert alert) {
    (newAlerts.containsKey(alert.alertId()) ? newAlerts : changedAlerts).put(alert.alertId(), alert);
  }

  void addFiring(AlertFiring firing) {
    firings.add(firing);
  }

  void add(BookEvent event) {
    events.add(event);
  }

  public List<Quote> newQuotes() {
    return newQuotes;
  }

  public Collection<Quote> changedQuotes() {
    return changedQuotes.values();
  }

  public List<Order> newOrders() {
    return newOrders;
  }

  public Collection<Order> changedOrders() {
    return changedOrders.values();
  }

  public List<Fill> newFills() {
    return newFills;
  }

  public Map<PositionKey, StoredPosition> positions() {
    return positions;
  }

  public Collection<Alert> newAlerts() {
    return newAlerts.values();
  }

  public Collection<Alert> changedAlerts() {
    return changedAlerts.values();
  }

  public List<AlertFiring> firings() {
    return firings;
  }

  public List<BookEvent> events() {
    return events;
  }
}
