package io.tradestore.domain.order;

import io.tradestore.domain.Side;
import io.tradestore.domain.order.Order.OrderType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderTest {
  private static Order limit(String account, String quantity, String price, String quoteId, long at) {
    return new Order("o-1", null, account, "BTC-USDT", Side.BUY, OrderType.LIMIT, new BigDecimal(quantity),
        new BigDecimal(price), quoteId, OrderStatus.NEW, BigDecimal.ZERO, BigDecimal.ZERO, null, at, at);
  }

  @Test
  void aResendWithTheSameContentIsTheSameRequestWhateverItsTimeOrDecimalScale() {
    assertTrue(limit("a", "1.50", "100", "q-1", 1).sameRequestAs(limit("a", "1.5", "100.0", "q-1", 99)));
  }

  @Test
  void anyDifferenceInWhatWasAskedIsAnotherRequest() {
    Order stored = limit("a", "1", "100", null, 1);
    assertFalse(stored.sameRequestAs(limit("b", "1", "100", null, 1)), "account");
    assertFalse(stored.sameRequestAs(limit("a", "2", "100", null, 1)), "quantity");
    assertFalse(stored.sameRequestAs(limit("a", "1", "101", null, 1)), "price");
    assertFalse(stored.sameRequestAs(limit("a", "1", "100", "q-1", 1)), "quote");
    Order market = new Order("o-1", null, "a", "BTC-USDT", Side.BUY, OrderType.MARKET, BigDecimal.ONE, null, null,
        OrderStatus.NEW, BigDecimal.ZERO, BigDecimal.ZERO, null, 1, 1);
    assertFalse(stored.sameRequestAs(market), "type and price");
  }

  @Test
  void theAveragePriceIsExactFromTheFilledNotionalAndAbsentBeforeTheFirstFill() {
    Order o = limit("a", "3", "100", null, 1);
    assertNull(o.averagePrice());
    Order filled = o.with(OrderStatus.PARTIALLY_FILLED, null, null, new BigDecimal("2"), new BigDecimal("201"), 2);
    assertEquals(new BigDecimal("100.5"), filled.averagePrice());
    assertEquals(new BigDecimal("1"), filled.remainingQuantity());
  }
}
