package io.tradestore.domain.book;

import io.tradestore.domain.alert.Alert;
import io.tradestore.domain.fill.Fill;
import io.tradestore.domain.order.Order;
import io.tradestore.domain.position.PositionKey;
import io.tradestore.domain.position.StoredPosition;
import io.tradestore.domain.quote.Quote;

import java.math.BigDecimal;

/**
 * The state a {@link BookDecider} decides against: the committed book and what was loaded for the commands at
 * hand. Each lookup answers null for "there is none", so the shell must have loaded everything the commands name.
 */
public interface BookState {
  Order order(String orderId);

  Fill fill(String fillId);

  Quote quote(String quoteId);

  /** The position of the key; flat (with no last fill) when there is none. */
  StoredPosition position(PositionKey key);

  /** The order that holds this venue order id, or null. */
  String ownerOfExternalId(String externalOrderId);

  /** The stored alert, of any status, or null. */
  Alert alert(String alertId);

  /** The symbol's fresh mark price (the mid of its latest quote while fresh), or null. */
  BigDecimal mark(String symbol);
}
