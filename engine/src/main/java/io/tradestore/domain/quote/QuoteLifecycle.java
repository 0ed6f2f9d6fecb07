package io.tradestore.domain.quote;

import io.tradestore.domain.Decimals;
import io.tradestore.domain.Decision;
import io.tradestore.domain.Refusal;
import io.tradestore.domain.quote.Quote.QuoteStatus;

import java.math.BigDecimal;

/**
 * Quote rules (no Vert.x, no SQL). A quote is ACTIVE until an order uses it (USED, once), it passes its
 * {@code expiresAt} (EXPIRED) or it is cancelled (CANCELLED); all three are final.
 */
public final class QuoteLifecycle {
  private static final BigDecimal TWO = BigDecimal.valueOf(2);
  private static final BigDecimal BPS = BigDecimal.valueOf(10_000);

  private QuoteLifecycle() { }

  public static BigDecimal mid(BigDecimal bid, BigDecimal ask) {
    return Decimals.canonical(bid.add(ask).divide(TWO));
  }

  /** (ask - bid) / mid in basis points. */
  public static BigDecimal spreadBps(BigDecimal bid, BigDecimal ask) {
    return Decimals.divide(ask.subtract(bid).multiply(BPS), mid(bid, ask));
  }

  /** Why an order may not use this quote now, or null when it may. */
  public static String whyNotUsable(Quote quote, String symbol, long now) {
    QuoteStatus status = quote.statusAt(now);
    if (status != QuoteStatus.ACTIVE) {
      return "quote " + quote.quoteId() + " is " + status + (status == QuoteStatus.USED ? " by order " + quote.usedByOrderId() : "");
    }
    if (!quote.symbol().equals(symbol)) {
      return "quote " + quote.quoteId() + " is for " + quote.symbol() + ", not " + symbol;
    }
    return null;
  }

  /** Why the quote cannot be cancelled now, or null when it can. */
  public static String whyNotCancellable(Quote quote, long now) {
    QuoteStatus status = quote.statusAt(now);
    return status == QuoteStatus.ACTIVE ? null : "quote " + quote.quoteId() + " is " + status + " and cannot be cancelled";
  }

  /**
   * A cancel of the quote stored under {@code quoteId} (null when there is none): cancelling a cancelled quote again
   * is a resend; a quote already used or expired cannot be cancelled.
   */
  public static Decision<Quote> cancel(Quote stored, String quoteId, long now) {
    if (stored == null) {
      return Decision.refused(Refusal.notFound("quoteId", "no quote " + quoteId));
    }
    if (stored.status() == QuoteStatus.CANCELLED) {
      return Decision.duplicate(stored);
    }
    String refusal = whyNotCancellable(stored, now);
    return refusal != null
        ? Decision.refused(Refusal.conflict("quoteId", refusal))
        : Decision.changed(stored.withStatus(QuoteStatus.CANCELLED, null, now));
  }
}
