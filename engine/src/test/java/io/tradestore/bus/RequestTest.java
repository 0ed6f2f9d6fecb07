package io.tradestore.bus;

import io.tradestore.CommandFailure;
import io.tradestore.ErrorCode;
import io.tradestore.domain.order.OrderStatus;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The text rules of a request: valid Unicode everywhere, no control characters in ids. */
class RequestTest {
  private static Request with(String field, Object value) {
    return Request.of(new JsonObject().put(field, value));
  }

  /** Refused with 400 INVALID_REQUEST naming {@code field}, the message containing {@code says}. */
  private static void refused(String field, String says, Executable read) {
    CommandFailure failure = assertThrows(CommandFailure.class, read);
    assertEquals(ErrorCode.INVALID_REQUEST, failure.code());
    assertEquals(400, failure.code().status());
    assertEquals(field, failure.field());
    assertTrue(failure.getMessage().contains(says), failure.getMessage());
  }

  @Test
  void anIdWithALoneSurrogateIsRefusedWhereverItStands() {
    for (String id : new String[] {"\ud800", "\udfff", "q-\ud800", "q-\udc00-1", "\udc00\ud800", "q\ud83d"}) {
      refused("quoteId", "valid Unicode", () -> with("quoteId", id).text("quoteId"));
      refused("quoteId", "valid Unicode", () -> with("quoteId", id).optionalText("quoteId"));
      refused("account", "valid Unicode", () -> with("account", id).textOr("account", "default"));
    }
    refused("quoteId", "U+D800 at position 2", () -> with("quoteId", "q-\ud800").text("quoteId"));
  }

  @Test
  void anIdWithASurrogatePairIsOneCharacterAndAccepted() {
    assertEquals("q-\ud83d\ude00", with("quoteId", "q-\ud83d\ude00").text("quoteId"));
    assertEquals("BTC-€", with("symbol", "BTC-€").text("symbol"));
  }

  @Test
  void anIdWithAControlCharacterIsRefusedEvenWhereTrimmingWouldHaveDroppedIt() {
    for (String id : new String[] {"q\u0000", "\u0000q", "q\u0000x", "q\n", "\tq", "q\r\n", "q\u001f", "q\u007f", "q\u0085"}) {
      refused("orderId", "control characters", () -> with("orderId", id).text("orderId"));
    }
    refused("orderId", "U+0000 at position 1", () -> with("orderId", "q\u0000x").text("orderId"));
    assertEquals("q 1", with("orderId", "  q 1 ").text("orderId"), "spaces are still trimmed");
  }

  @Test
  void aNoteMayBreakLinesButHoldsNoOtherControlCharacterAndNoLoneSurrogate() {
    assertEquals("venue said:\n\tno\r\n", with("reason", "venue said:\n\tno\r\n").optionalNote("reason"));
    refused("reason", "control characters", () -> with("reason", "no\u0000balance").optionalNote("reason"));
    refused("reason", "control characters", () -> with("reason", "\u001b[31mred").optionalNote("reason"));
    refused("reason", "valid Unicode", () -> with("reason", "no \udfff").optionalNote("reason"));
    assertNull(Request.of(new JsonObject()).optionalNote("reason"));
  }

  @Test
  void decimalsTimestampsEnumsAndCursorsGivenAsTextMustBeValidUnicodeToo() {
    refused("price", "valid Unicode", () -> with("price", "1\ud800").decimal("price"));
    refused("quantity", "valid Unicode", () -> with("quantity", "\udc001").positiveDecimal("quantity"));
    refused("expiresAt", "valid Unicode", () -> with("expiresAt", "2026-11-23T10:15:30Z\ud800").optionalTimestamp("expiresAt"));
    refused("status", "valid Unicode", () -> with("status", "NEW\udfff").optionalEnum("status", OrderStatus.class));
    refused("cursor", "valid Unicode", () -> with("cursor", "12\ud800").optionalCursor("cursor"));
    assertEquals(new BigDecimal("12.5"), with("price", "12.50").decimal("price"));
  }

  @Test
  void aTimestampJavaTimeReadsButEpochMillisecondsCannotHoldIsA400NotA500() {
    // found by BridgeFuzzTest: Instant.toEpochMilli threw ArithmeticException, answered 500 INTERNAL with a stack trace
    for (String beyond : new String[] {"+1000000000-01-01T00:00:00Z", "-1000000000-01-01T00:00:00Z",
        "+292278995-01-01T00:00:00Z", "-292275056-01-01T00:00:00Z", "+292278994-08-17T07:12:55.808Z"}) {
      refused("executedAt", "out of range", () -> with("executedAt", beyond).optionalTimestamp("executedAt"));
    }
    assertEquals(Long.MAX_VALUE, with("asOf", "+292278994-08-17T07:12:55.807Z").optionalTimestamp("asOf"), "the last millisecond a long holds");
    assertEquals(Long.MIN_VALUE, with("asOf", "-292275055-05-16T16:47:04.192Z").optionalTimestamp("asOf"), "and the first");
  }
}
