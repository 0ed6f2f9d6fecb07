package io.tradestore.domain.quote;

import java.math.BigDecimal;
import java.util.Objects;

/** A two-sided price a market maker quoted, and where it stands in its lifecycle. */
public record Quote(
    String quoteId,
    String symbol,
    BigDecimal bidPrice,
    BigDecimal bidQuantity,
    BigDecimal askPrice,
    BigDecimal askQuantity,
    BigDecimal spreadBps,
    String sourceSymbol,
    BigDecimal sourceBidPrice,
    BigDecimal sourceAskPrice,
    QuoteStatus status,
    Long expiresAt,
    String usedByOrderId,
    long createdAt,
    long updatedAt) {

  public enum QuoteStatus { ACTIVE, USED, EXPIRED, CANCELLED }

  public BigDecimal midPrice() {
    return QuoteLifecycle.mid(bidPrice, askPrice);
  }

  /** The status as of {@code now}: an ACTIVE quote past its expiry reads EXPIRED even before the expiry job marks it. */
  public QuoteStatus statusAt(long now) {
    return status == QuoteStatus.ACTIVE && expiresAt != null && expiresAt <= now ? QuoteStatus.EXPIRED : status;
  }

  /** True when a resend carries the same content as this stored quote (the idempotency check). */
  public boolean sameContentAs(Quote other) {
    return symbol.equals(other.symbol)
        && bidPrice.equals(other.bidPrice) && bidQuantity.equals(other.bidQuantity)
        && askPrice.equals(other.askPrice) && askQuantity.equals(other.askQuantity)
        && Objects.equals(expiresAt, other.expiresAt)
        && Objects.equals(sourceSymbol, other.sourceSymbol)
        && Objects.equals(sourceBidPrice, other.sourceBidPrice)
        && Objects.equals(sourceAskPrice, other.sourceAskPrice);
  }

  public Quote withStatus(QuoteStatus newStatus, String orderId, long at) {
    return new Quote(quoteId, symbol, bidPrice, bidQuantity, askPrice, askQuantity, spreadBps, sourceSymbol,
        sourceBidPrice, sourceAskPrice, newStatus, expiresAt, orderId, createdAt, at);
  }
}
