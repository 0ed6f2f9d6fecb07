package io.tradestore.domain.position;

import io.tradestore.domain.Decimals;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A netted position of one account in one symbol. {@code quantity} is signed (long &gt; 0, short &lt; 0).
 * {@code costBasis} is the exact cost of the open quantity (signed like it); {@code averagePrice} is that cost per
 * unit, absent when flat. Fees are summed per fee asset, apart from realized PnL.
 */
public record Position(
    String account,
    String symbol,
    BigDecimal quantity,
    BigDecimal averagePrice,
    BigDecimal costBasis,
    BigDecimal realizedPnl,
    Map<String, BigDecimal> fees,
    long fillCount) {

  public Position {
    quantity = Decimals.canonical(quantity);
    costBasis = Decimals.canonical(costBasis);
    realizedPnl = Decimals.canonical(realizedPnl);
    averagePrice = averagePrice == null ? null : Decimals.canonical(averagePrice);
    fees = Collections.unmodifiableMap(new TreeMap<>(fees));
  }

  public static Position flat(String account, String symbol) {
    return new Position(account, symbol, BigDecimal.ZERO, null, BigDecimal.ZERO, BigDecimal.ZERO, Map.of(), 0);
  }

  public boolean isFlat() {
    return quantity.signum() == 0;
  }

  /** quantity x (mark - average); absent when there is no mark or the position is flat. */
  public BigDecimal unrealizedPnl(BigDecimal mark) {
    if (mark == null || isFlat()) {
      return mark == null ? null : BigDecimal.ZERO;
    }
    return Decimals.canonical(quantity.multiply(mark.subtract(averagePrice)));
  }
}
