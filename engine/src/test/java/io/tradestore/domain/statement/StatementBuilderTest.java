package io.tradestore.domain.statement;

import io.tradestore.domain.Side;
import io.tradestore.domain.fill.Fill;
import io.tradestore.domain.position.Position;
import io.tradestore.domain.position.PositionLedger;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatementBuilderTest {
  private static final String ACCOUNT = "desk-1";
  private int fills;

  private Fill fill(String symbol, Side side, String quantity, String price, long executedAt, String fee) {
    fills++;
    return new Fill("f-" + fills, "o-1", ACCOUNT, symbol, side, new BigDecimal(price), new BigDecimal(quantity),
        fee == null ? null : new BigDecimal(fee), fee == null ? null : "USDT", Fill.Liquidity.TAKER, null, false,
        executedAt, executedAt);
  }

  private static BigDecimal d(String s) {
    return new BigDecimal(s);
  }

  @Test
  void aPeriodOpensWithTheFillsBeforeItClosesWithTheFillsBeforeItsEndAndRealizesTheDifference() {
    AccountStatement statement = new StatementBuilder(ACCOUNT, 100, 200)
        .add(fill("BTC", Side.BUY, "2", "100", 50, "0.5"))    // before: opening long 2 @ 100
        .add(fill("BTC", Side.SELL, "1", "110", 150, "0.25")) // in: realizes 10
        .add(fill("BTC", Side.BUY, "3", "90", 199, null))     // in, at the last millisecond
        .add(fill("BTC", Side.SELL, "4", "120", 200, "1"))    // at the end: outside [from, to)
        .build();
    SymbolStatement btc = statement.symbols().get(0);
    assertEquals(d("2"), btc.opening().quantity());
    assertEquals(d("0"), btc.opening().realizedPnl());
    assertEquals(d("4"), btc.closing().quantity());
    assertEquals(d("10"), btc.realizedPnl());
    assertEquals(Map.of("USDT", d("0.25")), btc.fees(), "the period's fees only");
    assertEquals(2, btc.fillCount());
  }

  @Test
  void realizedPnlIsExactForDecimalsThatBinaryFloatsCannotHold() {
    SymbolStatement eth = new StatementBuilder(ACCOUNT, 0, Long.MAX_VALUE)
        .add(fill("ETH", Side.BUY, "0.1", "0.2", 1, null))
        .add(fill("ETH", Side.BUY, "0.2", "0.2", 2, null))
        .add(fill("ETH", Side.SELL, "0.3", "0.3", 3, null))
        .build().symbols().get(0);
    // 0.1 + 0.2 bought at 0.2, all 0.3 sold at 0.3: exactly 0.03
    assertEquals(d("0.03"), eth.realizedPnl());
    assertTrue(eth.closing().isFlat());
  }

  @Test
  void aSymbolOnlyHeldThroughThePeriodIsListedAndOneClosedBeforeItIsNot() {
    AccountStatement statement = new StatementBuilder(ACCOUNT, 100, 200)
        .add(fill("HELD", Side.BUY, "1", "10", 10, null))
        .add(fill("GONE", Side.BUY, "1", "10", 10, null))
        .add(fill("GONE", Side.SELL, "1", "12", 20, null))
        .build();
    assertEquals(List.of("HELD"), statement.symbols().stream().map(SymbolStatement::symbol).toList());
    SymbolStatement held = statement.symbols().get(0);
    assertEquals(held.opening(), held.closing());
    assertEquals(0, held.fillCount());
    assertEquals(d("0"), held.realizedPnl());
  }

  @Test
  void fillsOfAnotherAccountChangeNothing() {
    Fill other = new Fill("x", "o-9", "desk-2", "BTC", Side.BUY, d("1"), d("1"), null, null, null, null, false, 1, 1);
    assertEquals(List.of(), new StatementBuilder(ACCOUNT, 0, 10).add(other).build().symbols());
  }

  @Test
  void aPeriodThatDoesNotEndAfterItStartsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new StatementBuilder(ACCOUNT, 5, 5));
  }

  /** Random fills, some executed out of order: the statement of all time is the position built fill by fill. */
  @Test
  void theStatementOfAllTimeEqualsThePositionsBuiltFromTheSameFills() {
    Random random = new Random(42);
    for (int run = 0; run < 200; run++) {
      List<Fill> recorded = new ArrayList<>();
      for (int i = 0; i < 1 + random.nextInt(40); i++) {
        String symbol = random.nextBoolean() ? "BTC" : "ETH";
        Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
        String quantity = (1 + random.nextInt(500)) + "." + random.nextInt(100);
        String price = (1 + random.nextInt(1000)) + "." + random.nextInt(1000);
        recorded.add(fill(symbol, side, quantity, price, random.nextInt(1_000), random.nextInt(3) == 0 ? null : "0.0" + random.nextInt(10)));
      }
      StatementBuilder builder = new StatementBuilder(ACCOUNT, Long.MIN_VALUE, Long.MAX_VALUE);
      Map<String, Position> positions = new java.util.TreeMap<>();
      for (Fill f : recorded) {
        builder.add(f);
        positions.merge(f.symbol(), PositionLedger.apply(positions.getOrDefault(f.symbol(), Position.flat(ACCOUNT, f.symbol())),
            f.side(), f.quantity(), f.price(), f.fee(), f.feeAsset()), (a, b) -> b);
      }
      for (SymbolStatement s : builder.build().symbols()) {
        Position position = positions.get(s.symbol());
        assertEquals(position, s.closing());
        assertEquals(position.realizedPnl(), s.realizedPnl());
        assertEquals(position.fees(), s.fees());
        assertEquals(position.fillCount(), s.fillCount());
      }
    }
  }
}
