package io.tradestore.domain.order;

/** Where an order stands. CANCELLED, REJECTED, EXPIRED and FILLED are final for the order's own lifecycle. */
public enum OrderStatus {
  NEW, ACCEPTED, PARTIALLY_FILLED, FILLED, CANCELLED, REJECTED, EXPIRED;

  public boolean isTerminal() {
    return this == FILLED || this == CANCELLED || this == REJECTED || this == EXPIRED;
  }

  public boolean isOpen() {
    return !isTerminal();
  }
}
