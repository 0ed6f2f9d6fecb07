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
  UNAVAILABLE(503),
  /** The disk holding the database has no room left; writes succeed again once space is freed. */
  STORAGE_FULL(503),
  /** The database file, its folder or its file system does not accept writes. */
  STORAGE_READ_ONLY(503),
  /** The database cannot be written for another storage reason: an I/O error, a damaged or deleted file. */
  STORAGE_UNAVAILABLE(503);

  private final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** A fault of the storage under the database, for the operator to fix; the client may retry afterwards. */
  public boolean isStorageFault() {
    return this == STORAGE_FULL || this == STORAGE_READ_ONLY || this == STORAGE_UNAVAILABLE;
  }
}
