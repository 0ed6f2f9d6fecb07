package io.tradestore.domain.position;

import io.tradestore.domain.Decimals;
import io.tradestore.domain.Side;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * Position accounting, one fill at a time, with exact decimals (no Vert.x, no SQL: tested directly).
 *
 * <ul>
 *   <li>increase (same direction, or from flat): the exact cost grows by quantity x price; the average is
 *       cost / quantity;</li>
 *   <li>reduce: realized PnL += closed quantity x (price - average) x direction; the average is unchanged;</li>
 *   <li>flip through zero: the closing part realizes as a reduce, the rest opens at the fill price;</li>
 *   <li>close to zero: realized kept, average cleared;</li>
 *   <li>fees are summed per fee asset, never folded into realized PnL.</li>
 * </ul>
 * The average is derived from the exact cost of the open quantity rather than updated from the previous
 * (rounded) average, so many fills never make it drift; a non-terminating average keeps
 * {@link Decimals#DIVISION_SCALE} fractional digits, rounded half-even.
 */
public final class PositionLedger {
  private PositionLedger() { }

  public static Position apply(Position before, Side side, BigDecimal quantity, BigDecimal price,
                               BigDecimal fee, String feeAsset) {
    if (quantity.signum() <= 0) {
      throw new IllegalArgumentException("fill quantity must be positive: " + quantity);
    }
    BigDecimal signed = side == Side.BUY ? quantity : quantity.negate();
    BigDecimal q = before.quantity();
    BigDecimal newQuantity = q.add(signed);
    BigDecimal cost = before.costBasis();
    BigDecimal average = before.averagePrice();
    BigDecimal realized = before.realizedPnl();

    if (q.signum() == 0 || q.signum() == signed.signum()) {
      cost = cost.add(signed.multiply(price));
      average = Decimals.divide(cost, newQuantity);
    } else {
      BigDecimal closed = quantity.min(q.abs());
      BigDecimal direction = BigDecimal.valueOf(q.signum());
      realized = realized.add(closed.multiply(price.subtract(average)).multiply(direction));
      if (newQuantity.signum() == 0) {
        cost = BigDecimal.ZERO;
        average = null;
      } else if (newQuantity.signum() == q.signum()) {
        // the average stays exactly as it was, so the remaining cost is re-anchored on it
        cost = newQuantity.multiply(average);
      } else {
        cost = newQuantity.multiply(price);
        average = price;
      }
    }
    Map<String, BigDecimal> fees = new TreeMap<>(before.fees());
    if (fee != null && fee.signum() != 0) {
      fees.merge(feeAsset == null ? "" : feeAsset, fee, BigDecimal::add);
      fees.replaceAll((asset, sum) -> Decimals.canonical(sum));
    }
    return new Position(before.account(), before.symbol(), newQuantity, average, cost, realized, fees,
        before.fillCount() + 1);
  }
}
