package io.tradestore.client;

/**
 * The request could not be sent, or the connection closed while it was outstanding. Its outcome is unknown: resend
 * it with the same ids, and the engine answers one it already committed with {@code "duplicate": true}.
 */
public final class ConnectionLostException extends TradestoreException {
  private static final long serialVersionUID = 1L;

  ConnectionLostException(String address, String why) {
    super(-1, "CONNECTION_LOST", why, null, address, null);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
