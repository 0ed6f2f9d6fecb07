package io.tradestore.domain.statement;

import io.tradestore.domain.position.Position;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One symbol of an account's statement for a period [from, to).
 *
 * @param opening     the position of the fills executed before {@code from}
 * @param closing     the position of the fills executed before {@code to}
 * @param realizedPnl the realized PnL of the period: closing's less opening's
 * @param fees        the fees of the period's fills, per fee asset
 * @param fillCount   the period's fills
 */
public record SymbolStatement(String symbol, Position opening, Position closing, BigDecimal realizedPnl,
                              Map<String, BigDecimal> fees, long fillCount) {
  public SymbolStatement {
    fees = Collections.unmodifiableMap(new TreeMap<>(fees));
  }
}
