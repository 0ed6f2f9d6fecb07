package io.tradestore.outbox;

import io.tradestore.CommandFailure;
import io.tradestore.bus.Request;

/** The outbox operator requests' fields; a field missing or out of range is a 400 naming it. */
final class OutboxRequests {
  static final int REPLAY_MAX = 10_000;

  private OutboxRequests() { }

  /** What {@code trading.outbox.replay} asks for: from a seq, to an address, optionally one aggregate's events. */
  record Replay(long fromSeq, String address, String aggregateType, String aggregateId, int limit) { }

  static Replay replay(Request r) {
    long fromSeq = r.has("fromSeq") ? positiveLong(r, "fromSeq") : 1L;
    String address = r.text("address");
    String aggregateType = r.optionalText("aggregateType");
    String aggregateId = r.optionalText("aggregateId");
    if ((aggregateType == null) != (aggregateId == null)) {
      throw CommandFailure.invalid(aggregateType == null ? "aggregateType" : "aggregateId",
          "aggregateType and aggregateId go together");
    }
    return new Replay(fromSeq, address, aggregateType, aggregateId, r.limit("limit", 1_000, REPLAY_MAX));
  }

  /** The event a requeue or skip acts on. */
  static long seq(Request r) {
    return positiveLong(r, "seq");
  }

  private static long positiveLong(Request r, String field) {
    Object value = r.has(field) ? r.raw(field) : null;
    if (value instanceof Integer || value instanceof Long) {
      long n = ((Number) value).longValue();
      if (n > 0) {
        return n;
      }
    }
    throw CommandFailure.invalid(field, field + " must be a positive whole number");
  }
}
