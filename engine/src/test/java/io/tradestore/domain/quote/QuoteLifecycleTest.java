package io.tradestore.domain.quote;

import io.tradestore.domain.Decision;
import io.tradestore.domain.Refusal;
import io.tradestore.domain.quote.Quote.QuoteStatus;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Quote rules, pure: mid and spread exactly, and when a quote may be used or cancelled. */
class QuoteLifecycleTest {
  private static BigDecimal d(String s) {
    return new BigDecimal(s);
  }

  private static Quote quote(QuoteStatus status, Long expiresAt) {
    return new Quote("q-1", "BTCUSDT", d("99"), d("1"), d("101"), d("1"), QuoteLifecycle.spreadBps(d("99"), d("101")),
        null, null, null, status, expiresAt, status == QuoteStatus.USED ? "o-1" : null, 1_000L, 1_000L);
  }

  @Test
  void midIsTheExactAverageOfBidAndAsk() {
    assertEquals(d("100"), QuoteLifecycle.mid(d("99"), d("101")));
    assertEquals(d("100.05"), QuoteLifecycle.mid(d("100"), d("100.1")));
    assertEquals(d("0.000000015"), QuoteLifecycle.mid(d("0.00000001"), d("0.00000002")));
  }

  @Test
  void spreadIsAskMinusBidOverMidInBasisPoints() {
    assertEquals(d("200"), QuoteLifecycle.spreadBps(d("99"), d("101")));
    assertEquals(d("0"), QuoteLifecycle.spreadBps(d("100"), d("100")));
    // 0.1 * 10000 / 100.05 does not terminate: 18 fractional digits, half-even
    assertEquals("9.995002498750624688", QuoteLifecycle.spreadBps(d("100"), d("100.1")).toPlainString());
    assertEquals(d("2"), QuoteLifecycle.spreadBps(d("49995"), d("50005")));
  }

  @Test
  void anActiveUnexpiredQuoteOfTheSameSymbolIsUsable() {
    assertNull(QuoteLifecycle.whyNotUsable(quote(QuoteStatus.ACTIVE, null), "BTCUSDT", 5_000L));
    assertNull(QuoteLifecycle.whyNotUsable(quote(QuoteStatus.ACTIVE, 5_001L), "BTCUSDT", 5_000L));
  }

  @Test
  void aQuoteIsNotUsableForAnotherSymbol() {
    String why = QuoteLifecycle.whyNotUsable(quote(QuoteStatus.ACTIVE, null), "ETHUSDT", 5_000L);
    assertNotNull(why);
    assertTrue(why.contains("BTCUSDT"), why);
  }

  @Test
  void aQuoteIsExpiredFromItsExpiryInstantOnAndThenNeitherUsableNorCancellable() {
    Quote q = quote(QuoteStatus.ACTIVE, 5_000L);
    assertEquals(QuoteStatus.ACTIVE, q.statusAt(4_999L));
    assertEquals(QuoteStatus.EXPIRED, q.statusAt(5_000L));
    assertTrue(QuoteLifecycle.whyNotUsable(q, "BTCUSDT", 5_000L).contains("EXPIRED"));
    assertTrue(QuoteLifecycle.whyNotCancellable(q, 5_000L).contains("EXPIRED"));
    assertNull(QuoteLifecycle.whyNotCancellable(q, 4_999L));
  }

  @Test
  void usedAndCancelledQuotesAreNeitherUsableNorCancellable() {
    String used = QuoteLifecycle.whyNotUsable(quote(QuoteStatus.USED, null), "BTCUSDT", 5_000L);
    assertTrue(used.contains("USED") && used.contains("o-1"), used);
    assertNotNull(QuoteLifecycle.whyNotCancellable(quote(QuoteStatus.USED, null), 5_000L));
    assertNotNull(QuoteLifecycle.whyNotUsable(quote(QuoteStatus.CANCELLED, null), "BTCUSDT", 5_000L));
    assertNotNull(QuoteLifecycle.whyNotCancellable(quote(QuoteStatus.CANCELLED, null), 5_000L));
  }

  @Test
  void aUsedQuotePastItsExpiryStillReadsUsed() {
    assertEquals(QuoteStatus.USED, quote(QuoteStatus.USED, 2_000L).statusAt(9_000L));
  }

  @Test
  void anActiveQuoteIsCancellable() {
    assertNull(QuoteLifecycle.whyNotCancellable(quote(QuoteStatus.ACTIVE, null), 5_000L));
  }

  @Test
  void cancellingAnActiveQuoteCancelsItAtThatTime() {
    Quote cancelled = ((Decision.Changed<Quote>) QuoteLifecycle.cancel(quote(QuoteStatus.ACTIVE, null), "q-1", 5_000L)).value();
    assertEquals(QuoteStatus.CANCELLED, cancelled.status());
    assertEquals(5_000L, cancelled.updatedAt());
  }

  @Test
  void cancellingACancelledQuoteAgainIsAResendOfTheStoredOne() {
    Quote stored = quote(QuoteStatus.CANCELLED, null);
    assertSame(stored, ((Decision.Duplicate<Quote>) QuoteLifecycle.cancel(stored, "q-1", 5_000L)).value());
  }

  @Test
  void aQuoteUsedOrExpiredCannotBeCancelledAndAnUnknownOneIsNotFound() {
    Refusal used = ((Decision.Refused<Quote>) QuoteLifecycle.cancel(quote(QuoteStatus.USED, null), "q-1", 5_000L)).refusal();
    assertEquals(Refusal.Kind.CONFLICT, used.kind());
    assertEquals("quoteId", used.field());
    Refusal expired = ((Decision.Refused<Quote>) QuoteLifecycle.cancel(quote(QuoteStatus.ACTIVE, 5_000L), "q-1", 5_000L)).refusal();
    assertTrue(expired.message().contains("EXPIRED"), expired.message());
    Refusal unknown = ((Decision.Refused<Quote>) QuoteLifecycle.cancel(null, "q-9", 5_000L)).refusal();
    assertEquals(Refusal.Kind.NOT_FOUND, unknown.kind());
    assertEquals("no quote q-9", unknown.message());
  }
}
