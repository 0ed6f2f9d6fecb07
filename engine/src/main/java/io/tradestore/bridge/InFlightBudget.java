package io.tradestore.bridge;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The requests awaiting their reply over all bridge connections, bounded by {@code bridge.maxInFlight}. A
 * connection that finds the budget spent stops reading its socket and queues here; each slot a reply frees goes
 * to the connection that has waited longest, and one that spends the budget again queues at the back. So the
 * busiest clients share the engine in turn and a quiet one (an operator's) waits behind at most one request of
 * each. A connection may send the frame it has already read, so the count can pass the bound by at most one
 * request per connection. Confined to the bridge's event loop.
 */
final class InFlightBudget {
  private final int max;
  private final Deque<BridgeConnection> waiting = new ArrayDeque<>();
  private int inFlight;

  InFlightBudget(int max) {
    this.max = max;
  }

  void take() {
    inFlight++;
  }

  void giveBack() {
    inFlight--;
    while (!spent() && !waiting.isEmpty()) {
      waiting.poll().budgetAvailable();
    }
  }

  boolean spent() {
    return inFlight >= max;
  }

  void await(BridgeConnection connection) {
    waiting.add(connection);
  }

  void forget(BridgeConnection connection) {
    waiting.remove(connection);
  }

  int inFlight() {
    return inFlight;
  }
}
