package io.tradestore.outbox;

import io.vertx.core.eventbus.ReplyException;

/** Classification of a failed delivery: retry later, or block at once. */
record DeliveryFailure(String message, boolean retryable) {
  /** The failure of one subscriber's acknowledgement. */
  static final class Cause extends RuntimeException {
    final String subscriber;

    Cause(String subscriber, Throwable cause) {
      super(cause.getMessage(), cause, false, false);
      this.subscriber = subscriber;
    }
  }

  /**
   * A subscriber that answers with a 4xx failure code says the event itself is unacceptable: retrying cannot
   * help, so the event is blocked at once. Timeouts, missing consumers and other failures are retried.
   */
  static DeliveryFailure classify(Throwable error, long timeoutMs) {
    String subscriber = error instanceof Cause c ? c.subscriber : "?";
    Throwable cause = error instanceof Cause c ? c.getCause() : error;
    if (cause instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case TIMEOUT -> new DeliveryFailure("subscriber " + subscriber + " did not acknowledge within " + timeoutMs + " ms", true);
        case NO_HANDLERS -> new DeliveryFailure("no consumer registered at subscriber address " + subscriber, true);
        default -> {
          int code = reply.failureCode();
          boolean refused = code >= 400 && code < 500;
          yield new DeliveryFailure("subscriber " + subscriber + " failed the event (code " + code + "): "
              + reply.getMessage(), !refused);
        }
      };
    }
    return new DeliveryFailure("delivery to " + subscriber + " failed: " + cause, true);
  }
}
