package io.tradestore.domain.book;

import io.tradestore.domain.alert.Alert;
import io.tradestore.domain.alert.AlertFiring;
import io.tradestore.domain.fill.Fill;
import io.tradestore.domain.order.Order;
import io.tradestore.domain.order.OrderStatus;
import io.tradestore.domain.position.Position;
import io.tradestore.domain.quote.Quote;

/**
 * What a decided command tells the world, in the order it was decided; the shell writes each as an outbox event.
 * Read through {@link #accept}, so a new kind fails to compile wherever it is not handled.
 */
public sealed interface BookEvent {
  <T> T accept(Visitor<T> visitor);

  interface Visitor<T> {
    T quoteSubmitted(QuoteSubmitted event);

    T quoteUsed(QuoteUsed event);

    T orderPlaced(OrderPlaced event);

    T orderUpdated(OrderUpdated event);

    T fillRecorded(FillRecorded event);

    T positionChanged(PositionChanged event);

    T alertCreated(AlertCreated event);

    T alertCancelled(AlertCancelled event);

    T alertTriggered(AlertTriggered event);

    T alertExpired(AlertExpired event);
  }

  record QuoteSubmitted(Quote quote) implements BookEvent {
    @Override
    public <T> T accept(Visitor<T> visitor) {
      return visitor.quoteSubmitted(this);
    }
  }

  /** The quote, now USED, by the order placed {@code at}. */
  record QuoteUsed(Quote quote, long at) implements BookEvent {
    @Override
    public <T> T accept(Visitor<T> visitor) {
      return visitor.quoteUsed(this);
    }
  }

  record OrderPlaced(Order order) implements BookEvent {
    @Override
    public <T> T accept(Visitor<T> visitor) {
      return visitor.orderPlaced(this);
    }
  }

  /** The order after a venue report or a fill, and the status it had before. */
  record OrderUpdated(Order order, OrderStatus previousStatus) implements BookEvent {
    @Override
    public <T> T accept(Visitor<T> visitor) {
      return visitor.orderUpdated(this);
    }
  }

  record FillRecorded(Fill fill) implements BookEvent {
    @Override
    public <T> T accept(Visitor<T> visitor) {
      return visitor.fillRecorded(this);
    }
  }

  /** The position after the fill {@code fillId}, recorded {@code at}. */
  record PositionChanged(Position position, String fillId, long at) implements BookEvent {
    @Override
    public <T> T accept(Visitor<T> visitor) {
      return visitor.positionChanged(this);
    }
  }

  record AlertCreated(Alert alert) implements BookEvent {
    @Override
    public <T> T accept(Visitor<T> visitor) {
      return visitor.alertCreated(this);
    }
  }

  record AlertCancelled(Alert alert) implements BookEvent {
    @Override
    public <T> T accept(Visitor<T> visitor) {
      return visitor.alertCancelled(this);
    }
  }

  /** An alert fired by the quote or fill its firing names, in that command's transaction. */
  record AlertTriggered(AlertFiring firing) implements BookEvent {
    @Override
    public <T> T accept(Visitor<T> visitor) {
      return visitor.alertTriggered(this);
    }
  }

  record AlertExpired(Alert alert) implements BookEvent {
    @Override
    public <T> T accept(Visitor<T> visitor) {
      return visitor.alertExpired(this);
    }
  }
}
