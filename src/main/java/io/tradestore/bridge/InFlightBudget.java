package io.tradestore.bridge;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The requests awaiting their reply over all bridge connections, bounded by {@code bridge.maxInFlight}. A
 * connection that finds the budget spent stops reading its socket and waits here; when replies bring the count
 * down to three quarters of the bound, every waiting connection reads again. Confined to the bridge's event loop.
 */
final class InFlightBudget {
  private final int max;
  private final int resumeBelow;
  private final Set<BridgeConnection> waiting = new LinkedHashSet<>();
  private int inFlight;

  InFlightBudget(int max) {
    this.max = max;
    this.resumeBelow = Math.max(1, max - max / 4);
  }

  void take() {
    inFlight++;
  }

  void giveBack() {
    inFlight--;
    if (inFlight < resumeBelow && !waiting.isEmpty()) {
      BridgeConnection[] woken = waiting.toArray(BridgeConnection[]::new);
      waiting.clear();
      for (BridgeConnection connection : woken) {
        connection.budgetAvailable();
      }
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
