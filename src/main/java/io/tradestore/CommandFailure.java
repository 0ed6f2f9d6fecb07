package io.tradestore;

import io.tradestore.store.StorageFault;
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

  /**
   * Any throwable as a failure to answer with: a storage fault (a read on a deleted or damaged file, an I/O error)
   * becomes its 503 {@code STORAGE_} code; unexpected ones become INTERNAL without leaking internals.
   */
  public static CommandFailure of(Throwable error) {
    if (error instanceof CommandFailure failure) {
      return failure;
    }
    java.util.Optional<StorageFault> storage = StorageFault.of(error, null);
    if (storage.isPresent()) {
      return storage.get().toFailure();
    }
    if (error.getClass().getSimpleName().contains("TooBusy")) { // a connection pool's wait queue is full
      return new CommandFailure(ErrorCode.OVERLOADED, "too many reads waiting; retry later");
    }
    return new CommandFailure(ErrorCode.INTERNAL, "unexpected error: " + error.getClass().getSimpleName());
  }

  /** Answers {@code message} with this failure. */
  public void replyTo(Message<?> message) {
    message.fail(code.status(), toJson().encode());
  }
}
