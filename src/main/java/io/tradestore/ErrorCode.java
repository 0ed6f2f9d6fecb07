package io.tradestore;

/**
 * Every failure a command can be answered with. The number is the Vert.x {@code ReplyException} failure code
 * (HTTP-like, so it reads the same in logs, metrics and client code); the name is the {@code error} field of
 * the JSON failure message.
 */
public enum ErrorCode {
  INVALID_REQUEST(400),
  NOT_FOUND(404),
  CONFLICT(409),
  INTERNAL(500),
  OVERLOADED(503),
  DATABASE_BUSY(503),
  UNAVAILABLE(503);

  private final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }
}
