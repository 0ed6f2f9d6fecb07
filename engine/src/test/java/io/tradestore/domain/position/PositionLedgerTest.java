package io.tradestore.domain.position;

import io.tradestore.domain.Side;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PositionLedgerTest {
  private static BigDecimal d(String s) {
    return new BigDecimal(s);
  }

  private static Position fill(Position p, Side side, String qty, String price) {
    return PositionLedger.apply(p, side, d(qty), d(price), null, null);
  }

  private static void assertPosition(Position p, String qty, String avg, String realized) {
    assertEquals(d(qty).stripTrailingZeros(), p.quantity().stripTrailingZeros(), "quantity");
    if (avg == null) {
      assertNull(p.averagePrice(), "average");
    } else {
      assertEquals(0, d(avg).compareTo(p.averagePrice()), "average " + p.averagePrice());
    }
    assertEquals(0, d(realized).compareTo(p.realizedPnl()), "realized " + p.realizedPnl());
  }

  @Test
  void increasingUsesTheWeightedAverage() {
    Position p = fill(Position.flat("a", "BTC"), Side.BUY, "1", "100");
    p = fill(p, Side.BUY, "3", "200");
    assertPosition(p, "4", "175", "0");
  }

  @Test
  void reducingRealizesAgainstTheAverageAndKeepsIt() {
    Position p = fill(fill(Position.flat("a", "BTC"), Side.BUY, "1", "100"), Side.BUY, "3", "200");
    p = fill(p, Side.SELL, "1", "195");
    assertPosition(p, "3", "175", "20");
  }

  @Test
  void flippingThroughZeroRealizesTheClosingPartAndOpensTheRestAtTheFillPrice() {
    Position p = fill(fill(fill(Position.flat("a", "BTC"), Side.BUY, "1", "100"), Side.BUY, "3", "200"), Side.SELL, "1", "195");
    p = fill(p, Side.SELL, "5", "180");
    assertPosition(p, "-2", "180", "35");
  }

  @Test
  void closingToZeroKeepsRealizedAndClearsTheAverage() {
    Position p = fill(fill(Position.flat("a", "BTC"), Side.BUY, "2", "100"), Side.SELL, "2", "110");
    assertPosition(p, "0", null, "20");
    assertTrue(p.isFlat());
    assertEquals(BigDecimal.ZERO, p.costBasis());
  }

  @Test
  void theShortSideRealizesWhenBoughtBack() {
    Position p = fill(fill(Position.flat("a", "BTC"), Side.SELL, "2", "50"), Side.BUY, "1", "40");
    assertPosition(p, "-1", "50", "10");
  }

  @Test
  void feesAreSummedPerAssetAndNeverTouchRealizedPnl() {
    Position p = PositionLedger.apply(Position.flat("a", "BTC"), Side.BUY, d("1"), d("100"), d("1.0"), "USDT");
    p = PositionLedger.apply(p, Side.SELL, d("1"), d("100"), d("0.5"), "USDT");
    p = PositionLedger.apply(p, Side.BUY, d("1"), d("100"), d("0.0001"), "BNB");
    assertEquals(Map.of("USDT", d("1.5"), "BNB", d("0.0001")), p.fees());
    assertEquals(0, BigDecimal.ZERO.compareTo(p.realizedPnl()));
  }

  @Test
  void unrealizedPnlIsQuantityTimesMarkMinusAverageAndAbsentWithoutMark() {
    Position p = fill(Position.flat("a", "BTC"), Side.SELL, "2", "50");
    assertEquals(0, d("-10").compareTo(p.unrealizedPnl(d("55"))));
    assertNull(p.unrealizedPnl(null));
  }

  @Test
  void threeBuysOfOneTenthGiveExactlyThreeTenths() {
    Position p = Position.flat("a", "BTC");
    for (int i = 0; i < 3; i++) {
      p = fill(p, Side.BUY, "0.1", "100");
    }
    assertEquals("0.3", p.quantity().toPlainString());
    assertEquals("100", p.averagePrice().toPlainString());
  }

  @Test
  void aNonTerminatingAverageKeepsEighteenDigitsRoundedHalfEven() {
    Position p = fill(fill(Position.flat("a", "BTC"), Side.BUY, "1", "1"), Side.BUY, "2", "1");
    p = fill(p, Side.BUY, "3", "2"); // cost 9 over 6 = 1.5 exactly
    assertEquals("1.5", p.averagePrice().toPlainString());
    Position q = fill(fill(Position.flat("a", "X"), Side.BUY, "1", "1"), Side.BUY, "2", "2"); // 5/3
    assertEquals("1.666666666666666667", q.averagePrice().toPlainString());
  }

  @Test
  void theAverageDoesNotDriftOverManyFills() {
    Position p = fill(fill(Position.flat("a", "X"), Side.BUY, "1", "1"), Side.BUY, "2", "2"); // average 5/3
    for (int i = 0; i < 10_000; i++) {
      p = fill(p, Side.BUY, "3", "1.666666666666666667");
    }
    // exact cost: 5 + 30000 x 1.666666666666666667 over 30003 units
    BigDecimal expected = d("5").add(d("30000").multiply(d("1.666666666666666667")))
        .divide(d("30003"), 18, java.math.RoundingMode.HALF_EVEN);
    assertEquals(0, expected.compareTo(p.averagePrice()), p.averagePrice().toPlainString());
  }

  @Test
  void aNonPositiveQuantityIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> fill(Position.flat("a", "X"), Side.BUY, "0", "1"));
  }

  /** Property: realized + cost of what is open equals the cash that went in and out, for any fill sequence. */
  @Test
  void cashIsConservedForRandomFillSequences() {
    Random random = new Random(42);
    for (int run = 0; run < 200; run++) {
      Position p = Position.flat("a", "X");
      BigDecimal cash = BigDecimal.ZERO; // what buying cost and selling brought in, signed
      for (int i = 0; i < 50; i++) {
        Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
        BigDecimal qty = BigDecimal.valueOf(1 + random.nextInt(500), 2);
        BigDecimal price = BigDecimal.valueOf(9000 + random.nextInt(2000), 1);
        p = PositionLedger.apply(p, side, qty, price, null, null);
        cash = side == Side.BUY ? cash.subtract(qty.multiply(price)) : cash.add(qty.multiply(price));
      }
      // closing the rest at its own average books exactly the cost basis back
      BigDecimal conserved = cash.add(p.costBasis());
      assertTrue(conserved.subtract(p.realizedPnl()).abs().compareTo(d("0.000001")) < 0,
          "run " + run + ": cash " + cash + " + open cost " + p.costBasis() + " vs realized " + p.realizedPnl());
    }
  }
}
