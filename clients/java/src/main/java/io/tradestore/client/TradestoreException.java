package io.tradestore.client;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * The engine, or the event bus in front of it, answered a request with a failure.
 *
 * <p>{@link #code()} is the HTTP-like code (400, 404, 409, 503, 500), or -1 for the event bus's own failures;
 * {@link #error()} the engine's name for it ({@code INVALID_REQUEST}, {@code CONFLICT}, ...), the failure type
 * ({@code NO_HANDLERS}, {@code TIMEOUT}) or the bridge's refusal ({@code access_denied}, {@code unauthorized}, ...);
 * {@link #field()} the request field at fault when the engine named one, else null.
 */
public class TradestoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final String error;
  private final String reason;
  private final String field;
  private final String address;
  private final String failureType;

  public TradestoreException(int code, String error, String reason, String field, String address, String failureType) {
    super((address == null ? "request" : address) + ": " + code + " " + error + ": " + reason);
    this.code = code;
    this.error = error;
    this.reason = reason;
    this.field = field;
    this.address = address;
    this.failureType = failureType;
  }

  public int code() {
    return code;
  }

  public String error() {
    return error;
  }

  /** The engine's words for the failure, without the address and codes {@link #getMessage()} adds. */
  public String reason() {
    return reason;
  }

  public String field() {
    return field;
  }

  /** The address the request went to. */
  public String address() {
    return address;
  }

  /** The event bus's failure type ({@code RECIPIENT_FAILURE}, {@code NO_HANDLERS}, {@code TIMEOUT}), or null. */
  public String failureType() {
    return failureType;
  }

  /** Whether the same request may succeed later unchanged (503s and timeouts): resend it with the same ids. */
  public boolean retryable() {
    return code == 503 || "TIMEOUT".equals(failureType);
  }

  /** An {@code err} frame as the bridge sends it. */
  static TradestoreException fromErrFrame(JsonObject frame, String requestAddress) {
    int code = frame.getValue("failureCode") instanceof Number n ? n.intValue() : -1;
    return fromFailure(code, frame.getString("failureType"), frame.getString("message", ""),
        frame.getString("sourceAddress", requestAddress));
  }

  /**
   * An event-bus failure as the engine gives it, over the bridge or in process: the engine's JSON ({@code error},
   * {@code message}, {@code field}) in {@code message} for a recipient failure; else the bridge's or the bus's words.
   */
  public static TradestoreException fromFailure(int code, String failureType, String message, String address) {
    message = message == null ? "" : message;
    if ("RECIPIENT_FAILURE".equals(failureType)) {
      JsonObject body = parseObject(message);
      if (body != null && body.getValue("error") instanceof String error) {
        return new TradestoreException(code, error, body.getString("message", ""), body.getString("field"), address,
            failureType);
      }
    }
    if ("NO_HANDLERS".equals(failureType) || "TIMEOUT".equals(failureType)) {
      return new TradestoreException(code, failureType, message, null, address, failureType);
    }
    // refused by the bridge itself: the message is its reason (access_denied, invalid_frame, ...)
    return new TradestoreException(code, message.isEmpty() ? "err" : message, message, null, address, failureType);
  }

  private static JsonObject parseObject(String text) {
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }
}
