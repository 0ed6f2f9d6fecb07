package io.tradestore.book;

import io.tradestore.alert.AlertEvents;
import io.tradestore.domain.book.BookEvent;
import io.tradestore.fill.FillJson;
import io.tradestore.order.OrderEvents;
import io.tradestore.outbox.EventTypes;
import io.tradestore.outbox.OutboxEvent;
import io.tradestore.position.PositionJson;
import io.tradestore.quote.QuoteEvents;

/** The outbox event each {@link BookEvent} is written as (docs/events.md); payloads are built when first needed. */
final class BookOutbox implements BookEvent.Visitor<OutboxEvent> {
  static final BookOutbox INSTANCE = new BookOutbox();

  private BookOutbox() { }

  @Override
  public OutboxEvent quoteSubmitted(BookEvent.QuoteSubmitted e) {
    return QuoteEvents.of(EventTypes.QUOTE_SUBMITTED, e.quote(), e.quote().createdAt());
  }

  @Override
  public OutboxEvent quoteUsed(BookEvent.QuoteUsed e) {
    return QuoteEvents.of(EventTypes.QUOTE_USED, e.quote(), e.at());
  }

  @Override
  public OutboxEvent orderPlaced(BookEvent.OrderPlaced e) {
    return OrderEvents.of(EventTypes.ORDER_PLACED, e.order(), null);
  }

  @Override
  public OutboxEvent orderUpdated(BookEvent.OrderUpdated e) {
    return OrderEvents.of(EventTypes.ORDER_UPDATED, e.order(), e.previousStatus());
  }

  /** Its aggregate is the order, so an order's fills and status changes are published in their order. */
  @Override
  public OutboxEvent fillRecorded(BookEvent.FillRecorded e) {
    return OutboxEvent.deferred(EventTypes.FILL_RECORDED, "order", e.fill().orderId(), () -> FillJson.of(e.fill()),
        e.fill().recordedAt());
  }

  @Override
  public OutboxEvent positionChanged(BookEvent.PositionChanged e) {
    return OutboxEvent.deferred(EventTypes.POSITION_CHANGED, "position",
        e.position().account() + "/" + e.position().symbol(),
        () -> PositionJson.of(e.position(), null, e.fillId(), e.at()), e.at());
  }

  @Override
  public OutboxEvent alertCreated(BookEvent.AlertCreated e) {
    return AlertEvents.created(e.alert());
  }

  @Override
  public OutboxEvent alertCancelled(BookEvent.AlertCancelled e) {
    return AlertEvents.cancelled(e.alert());
  }

  @Override
  public OutboxEvent alertTriggered(BookEvent.AlertTriggered e) {
    return AlertEvents.triggered(e.firing());
  }

  @Override
  public OutboxEvent alertExpired(BookEvent.AlertExpired e) {
    return AlertEvents.expired(e.alert());
  }
}
