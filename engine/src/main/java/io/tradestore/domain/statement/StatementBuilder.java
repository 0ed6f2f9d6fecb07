package io.tradestore.domain.statement;

import io.tradestore.domain.Decimals;
import io.tradestore.domain.fill.Fill;
import io.tradestore.domain.position.Position;
import io.tradestore.domain.position.PositionLedger;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds an account's statement from its stored fills, fed one at a time in the order they were recorded: the
 * order its positions were built in, so that the statement of all time is exactly what the positions show. A
 * period's opening and closing positions are those of the fills executed before its start and before its end.
 * Memory grows with the account's symbols, not its fills.
 */
public final class StatementBuilder {
  private final String account;
  private final long from;
  private final long to;
  private final Map<String, Entry> bySymbol = new TreeMap<>();

  /** The period is [from, to) on the fills' execution times. */
  public StatementBuilder(String account, long from, long to) {
    if (from >= to) {
      throw new IllegalArgumentException("a statement's period must end after it starts: [" + from + ", " + to + ")");
    }
    this.account = account;
    this.from = from;
    this.to = to;
  }

  /** The next fill of the account in recording order; one of another account, or executed after the period, changes nothing. */
  public StatementBuilder add(Fill fill) {
    if (!fill.account().equals(account) || fill.executedAt() >= to) {
      return this;
    }
    Entry entry = bySymbol.computeIfAbsent(fill.symbol(), symbol -> new Entry(Position.flat(account, symbol)));
    entry.closing = apply(entry.closing, fill);
    if (fill.executedAt() < from) {
      entry.opening = apply(entry.opening, fill);
    } else {
      entry.fillCount++;
      if (fill.fee() != null && fill.fee().signum() != 0) { // as the position sums them
        entry.fees.merge(fill.feeAsset() == null ? "" : fill.feeAsset(), fill.fee(), BigDecimal::add);
      }
    }
    return this;
  }

  /** The statement: every symbol with a position open at either end of the period or a fill within it. */
  public AccountStatement build() {
    List<SymbolStatement> symbols = new ArrayList<>();
    bySymbol.forEach((symbol, e) -> {
      if (e.fillCount > 0 || !e.opening.isFlat() || !e.closing.isFlat()) {
        Map<String, BigDecimal> fees = new HashMap<>();
        e.fees.forEach((asset, fee) -> fees.put(asset, Decimals.canonical(fee)));
        symbols.add(new SymbolStatement(symbol, e.opening, e.closing,
            Decimals.canonical(e.closing.realizedPnl().subtract(e.opening.realizedPnl())), fees, e.fillCount));
      }
    });
    return new AccountStatement(account, from, to, symbols);
  }

  private static Position apply(Position before, Fill fill) {
    return PositionLedger.apply(before, fill.side(), fill.quantity(), fill.price(), fill.fee(), fill.feeAsset());
  }

  private static final class Entry {
    Position opening;
    Position closing;
    final Map<String, BigDecimal> fees = new HashMap<>();
    long fillCount;

    Entry(Position flat) {
      this.opening = flat;
      this.closing = flat;
    }
  }
}
