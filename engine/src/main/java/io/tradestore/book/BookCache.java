package io.tradestore.book;

import io.tradestore.domain.book.BookChanges;
import io.tradestore.domain.fill.Fill;
import io.tradestore.domain.order.Order;
import io.tradestore.domain.position.Position;
import io.tradestore.domain.position.PositionKey;
import io.tradestore.domain.position.StoredPosition;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The book's memory: recently used orders, recent fills and every position, so that a fill usually needs no read
 * before its write. It only ever holds committed state: what the open transaction loads or changes is kept
 * apart until the writer reports the commit, and dropped on a rollback. Used by the writer only, one call at a time.
 */
final class BookCache {
  // bounded so the engine fits a small heap (their size in memory: docs/performance.md); orders and fills beyond
  // these are simply read again when a command names them
  private static final int ORDERS_KEPT = 20_000;
  private static final int FILLS_KEPT = 20_000;

  private final Map<String, Order> orders = recent(ORDERS_KEPT);
  private final Map<String, Fill> fills = recent(FILLS_KEPT);
  private final Map<PositionKey, StoredPosition> positions = new HashMap<>();

  // the open transaction's rows, loaded or changed: applied to the maps above on commit, dropped on rollback
  private final Map<String, Order> txOrders = new HashMap<>();
  private final Map<String, Fill> txFills = new HashMap<>();
  private final Map<PositionKey, StoredPosition> txPositions = new HashMap<>();
  /** Positions looked up in this transaction and not found: flat, truly. */
  private final Set<PositionKey> txAbsentPositions = new HashSet<>();

  Order order(String orderId) {
    Order o = txOrders.get(orderId);
    return o != null ? o : orders.get(orderId);
  }

  Fill fill(String fillId) {
    Fill f = txFills.get(fillId);
    return f != null ? f : fills.get(fillId);
  }

  boolean knowsPosition(PositionKey key) {
    return txPositions.containsKey(key) || positions.containsKey(key) || txAbsentPositions.contains(key);
  }

  /**
   * The position as stored (or as this transaction left it). Flat only when the database was asked and has none:
   * a position never loaded is a bug, and starting it from zero would overwrite the stored one.
   */
  StoredPosition position(PositionKey key) {
    StoredPosition s = txPositions.get(key);
    if (s == null) {
      s = positions.get(key);
    }
    if (s != null) {
      return s;
    }
    if (!txAbsentPositions.contains(key)) {
      throw new IllegalStateException("position " + key + " used before it was loaded");
    }
    return new StoredPosition(Position.flat(key.account(), key.symbol()), null, 0L);
  }

  void loadedOrders(Map<String, Order> loaded) {
    txOrders.putAll(loaded);
  }

  void loadedFill(Fill fill) {
    txFills.put(fill.fillId(), fill);
  }

  void loadedPositions(Collection<PositionKey> asked, Map<PositionKey, StoredPosition> found) {
    txPositions.putAll(found);
    asked.stream().filter(k -> !found.containsKey(k)).forEach(txAbsentPositions::add);
  }

  /** A run decided these changes in the open transaction: later runs of it see them. */
  void changed(BookChanges changes) {
    changes.newOrders().forEach(o -> txOrders.put(o.orderId(), o));
    changes.changedOrders().forEach(o -> txOrders.put(o.orderId(), o));
    changes.newFills().forEach(f -> txFills.put(f.fillId(), f));
    txPositions.putAll(changes.positions());
  }

  void committed() {
    orders.putAll(txOrders);
    fills.putAll(txFills);
    positions.putAll(txPositions);
    rolledBack();
  }

  void rolledBack() {
    txOrders.clear();
    txFills.clear();
    txPositions.clear();
    txAbsentPositions.clear();
  }

  /** Retention removed these rows. */
  void forget(Collection<String> orderIds, Collection<String> fillIds) {
    orderIds.forEach(orders::remove);
    orderIds.forEach(txOrders::remove); // an earlier run of this same transaction may have loaded them
    fillIds.forEach(fills::remove);
    fillIds.forEach(txFills::remove);
  }

  /** A map that forgets its least recently used entries beyond {@code limit}. */
  private static <K, V> Map<K, V> recent(int limit) {
    return new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > limit;
      }
    };
  }
}
