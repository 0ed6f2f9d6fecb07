package io.tradestore.quote;

import io.tradestore.domain.quote.Quote;

import java.math.BigDecimal;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest quote's mid price per symbol, kept in memory to mark positions (unrealized PnL). A mark is fresh
 * while its quote is younger than the TTL and not past its own expiry; a stale mark is never used.
 */
public final class MarkPrices {
  private record Mark(String quoteId, BigDecimal mid, long quotedAt, long freshUntil) { }

  private final ConcurrentHashMap<String, Mark> bySymbol = new ConcurrentHashMap<>();
  private final long ttlMillis;

  public MarkPrices(long ttlMillis) {
    this.ttlMillis = ttlMillis;
  }

  /** Records a committed quote; an older quote never replaces a newer one. */
  public void onQuote(Quote quote) {
    long freshUntil = quote.createdAt() + ttlMillis;
    if (quote.expiresAt() != null) {
      freshUntil = Math.min(freshUntil, quote.expiresAt());
    }
    Mark mark = new Mark(quote.quoteId(), quote.midPrice(), quote.createdAt(), freshUntil);
    bySymbol.merge(quote.symbol(), mark, (old, neu) -> neu.quotedAt() >= old.quotedAt() ? neu : old);
  }

  /** A cancelled quote stops marking its symbol. */
  public void onCancelled(Quote quote) {
    bySymbol.computeIfPresent(quote.symbol(), (symbol, mark) -> mark.quoteId().equals(quote.quoteId()) ? null : mark);
  }

  /** The fresh mark for the symbol, or null. */
  public BigDecimal markAt(String symbol, long now) {
    Mark mark = bySymbol.get(symbol);
    if (mark == null) {
      return null;
    }
    if (now >= mark.freshUntil()) {
      bySymbol.remove(symbol, mark);
      return null;
    }
    return mark.mid();
  }
}
