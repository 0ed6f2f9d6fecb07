package io.tradestore.quote;

import io.tradestore.Times;
import io.tradestore.domain.Decimals;
import io.tradestore.domain.quote.Quote;
import io.vertx.core.json.JsonObject;

/** The quote as replies and events show it, its status as of {@code now} (an ACTIVE quote past its expiry reads EXPIRED). */
public final class QuoteJson {
  private QuoteJson() { }

  public static JsonObject of(Quote q, long now) {
    return new JsonObject()
        .put("quoteId", q.quoteId())
        .put("symbol", q.symbol())
        .put("bidPrice", Decimals.format(q.bidPrice()))
        .put("bidQuantity", Decimals.format(q.bidQuantity()))
        .put("askPrice", Decimals.format(q.askPrice()))
        .put("askQuantity", Decimals.format(q.askQuantity()))
        .put("midPrice", Decimals.format(q.midPrice()))
        .put("spreadBps", Decimals.format(q.spreadBps()))
        .put("status", q.statusAt(now).name())
        .put("expiresAt", Times.iso(q.expiresAt()))
        .put("usedByOrderId", q.usedByOrderId())
        .put("sourceSymbol", q.sourceSymbol())
        .put("sourceBidPrice", Decimals.format(q.sourceBidPrice()))
        .put("sourceAskPrice", Decimals.format(q.sourceAskPrice()))
        .put("createdAt", Times.iso(q.createdAt()))
        .put("updatedAt", Times.iso(q.updatedAt()));
  }
}
