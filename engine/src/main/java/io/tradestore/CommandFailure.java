package io.tradestore;

import io.tradestore.domain.Refusal;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * A command answered with an error. Carries the code, a message for a human and, for bad input, the field at
 * fault. It is an expected outcome, so it is thrown without a stack trace.
 */
public final class CommandFailure extends RuntimeException {
  private final ErrorCode code;
  private final String field;

  public CommandFailure(ErrorCode code, String message, String field) {
    super(message, null, false, false);
    this.code = code;
    this.field = field;
  }

  public CommandFailure(ErrorCode code, String message) {
    this(code, message, null);
  }

  public static CommandFailure invalid(String field, String message) {
    return new CommandFailure(ErrorCode.INVALID_REQUEST, message, field);
  }

  /** A domain rule's refusal, answered with its code: 400, 404 or 409. */
  public static CommandFailure of(Refusal refusal) {
    ErrorCode code = switch (refusal.kind()) {
      case INVALID -> ErrorCode.INVALID_REQUEST;
      case NOT_FOUND -> ErrorCode.NOT_FOUND;
      case CONFLICT -> ErrorCode.CONFLICT;
    };
    return new CommandFailure(code, refusal.message(), refusal.field());
  }

  public ErrorCode code() {
    return code;
  }

  public String field() {
    return field;
  }

  /** The JSON failure message: {@code {"error": "<CODE>", "message": "...", "field": "..."}}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("error", code.name()).put("message", getMessage());
    if (field != null) {
      json.put("field", field);
    }
    return json;
  }

  public ReplyException toReplyException() {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code.status(), toJson().encode());
  }

  /** Answers {@code message} with this failure. */
  public void replyTo(Message<?> message) {
    message.fail(code.status(), toJson().encode());
  }
}
