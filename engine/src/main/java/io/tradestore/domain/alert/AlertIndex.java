package io.tradestore.domain.alert;

import io.tradestore.domain.alert.Alert.Condition;
import io.tradestore.domain.alert.Alert.Kind;
import io.tradestore.domain.alert.Alert.Status;
import io.tradestore.domain.position.PositionKey;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The active alerts, kept so that a quote finds the ones it moves without looking at the others: per symbol and
 * price kind, the armed alerts of each condition ordered by threshold, and the disarmed ones ordered by the level
 * that arms them again. A price move from {@code previous} to {@code value} is then a range of each ladder, so a
 * quote costs a few logarithmic lookups plus the alerts it fires or arms. Position alerts are few per position
 * and are kept per position. An unrealized-PnL alert is moved by its symbol's quotes too: its PnL, quantity ×
 * (mark − average), is linear in the mark, so once its position is known ({@link #setPosition}) the alert waits
 * on one of two per-symbol ladders at the mark where it fires or arms again (rounded outward, so a quote may read
 * an alert it does not move, never miss one); until then, or while the position is flat, every quote reads it.
 *
 * <p>It also remembers the last quoted price of each symbol and kind, the "previous" of a crossing. Changes are
 * journaled until {@link #committed()}, so that {@link #rolledBack()} restores exactly the committed index.
 */
public final class AlertIndex {
  private record PriceKey(String symbol, Kind kind) { }

  /** What a position's unrealized PnL at a mark depends on: quantity × (mark − average). */
  private record Terms(BigDecimal quantity, BigDecimal average) { }

  /** Where an unrealized-PnL alert waits: the mark that moves it, and from which side. */
  private record Trigger(boolean up, BigDecimal level) { }

  private static final int LEVEL_DIGITS = 34;

  /** One alert at one level of a ladder; {@code edge} -1 or 1 makes a bound below or above every alert of a level. */
  private record Rung(BigDecimal level, int edge, String alertId) {
    static final Comparator<Rung> ORDER = (a, b) -> {
      int c = a.level.compareTo(b.level);
      if (c != 0) {
        return c;
      }
      if (a.edge != b.edge) {
        return Integer.compare(a.edge, b.edge);
      }
      return a.edge == 0 ? a.alertId.compareTo(b.alertId) : 0;
    };

    static Rung low(BigDecimal level) {
      return new Rung(level, -1, null);
    }

    static Rung high(BigDecimal level) {
      return new Rung(level, 1, null);
    }
  }

  /** The ladders of one symbol's price kind. */
  private static final class Ladders {
    final Map<Condition, NavigableSet<Rung>> armed = new EnumMap<>(Condition.class);
    /** Disarmed alerts of rising conditions, armed again at or below their level. */
    final NavigableSet<Rung> rearmAtOrBelow = new TreeSet<>(Rung.ORDER);
    /** Disarmed alerts of falling conditions, armed again at or above their level. */
    final NavigableSet<Rung> rearmAtOrAbove = new TreeSet<>(Rung.ORDER);

    NavigableSet<Rung> armed(Condition condition) {
      return armed.computeIfAbsent(condition, c -> new TreeSet<>(Rung.ORDER));
    }

    NavigableSet<Rung> ladderOf(Alert alert) {
      if (alert.armed()) {
        return armed(alert.condition());
      }
      return alert.condition().isUpward() ? rearmAtOrBelow : rearmAtOrAbove;
    }

    boolean isEmpty() {
      return rearmAtOrBelow.isEmpty() && rearmAtOrAbove.isEmpty()
          && armed.values().stream().allMatch(Set::isEmpty);
    }
  }

  private final Map<String, Alert> active = new HashMap<>();
  private final Map<PriceKey, Ladders> ladders = new HashMap<>();
  private final Map<PositionKey, Map<String, Alert>> byPosition = new HashMap<>();
  /** Per symbol, unrealized-PnL alerts a mark at or above their level moves. */
  private final Map<String, NavigableSet<Rung>> unrealizedUp = new HashMap<>();
  /** Per symbol, unrealized-PnL alerts a mark at or below their level moves. */
  private final Map<String, NavigableSet<Rung>> unrealizedDown = new HashMap<>();
  /** Per symbol, unrealized-PnL alerts of positions not known, or flat: every quote of the symbol reads them. */
  private final Map<String, Map<String, Alert>> unrealizedUnkeyed = new HashMap<>();
  /** The positions the unrealized-PnL alerts are keyed by: quantity (not zero) and average price. */
  private final Map<PositionKey, Terms> terms = new HashMap<>();
  private final Map<PriceKey, BigDecimal> lastPrices = new HashMap<>();
  private final Map<Kind, Long> activeByKind = new EnumMap<>(Kind.class);
  /** The active alerts with an expiry, by it. */
  private final NavigableSet<Rung> byExpiry = new TreeSet<>(Rung.ORDER);
  /** How to undo each change since the last commit, the latest first. */
  private final Deque<Runnable> undo = new ArrayDeque<>();

  /** The alert as it now is: indexed while ACTIVE, dropped once finished. */
  public void put(Alert alert) {
    Alert before = active.get(alert.alertId());
    replace(alert.alertId(), alert);
    undo.push(() -> replace(alert.alertId(), before));
  }

  /** The active alert, or null when there is none by that id (or it is finished). */
  public Alert get(String alertId) {
    return active.get(alertId);
  }

  public int size() {
    return active.size();
  }

  /** How many active alerts watch each kind of value. */
  public Map<Kind, Long> activeByKind() {
    return Map.copyOf(activeByKind);
  }

  /** The last price of a symbol's kind, as its latest quote gave it, or null before any. */
  public BigDecimal lastPrice(String symbol, Kind kind) {
    return lastPrices.get(new PriceKey(symbol, kind));
  }

  public void setLastPrice(String symbol, Kind kind, BigDecimal price) {
    PriceKey key = new PriceKey(symbol, kind);
    BigDecimal before = lastPrices.put(key, price);
    undo.push(() -> {
      if (before == null) {
        lastPrices.remove(key);
      } else {
        lastPrices.put(key, before);
      }
    });
  }

  /**
   * The active alerts on the symbol's kind that a move from {@code previous} (null: none known) to {@code value}
   * fires or arms again, in ladder order. Only ranges of the ladders are read.
   */
  public List<Alert> movedBy(String symbol, Kind kind, BigDecimal previous, BigDecimal value) {
    Ladders l = ladders.get(new PriceKey(symbol, kind));
    List<Alert> moved = new ArrayList<>();
    if (l == null) {
      return moved;
    }
    collect(l.armed.get(Condition.ABOVE), s -> s.headSet(Rung.high(value), true), moved);
    collect(l.armed.get(Condition.BELOW), s -> s.tailSet(Rung.low(value), true), moved);
    if (previous != null && previous.compareTo(value) < 0) {
      collect(l.armed.get(Condition.CROSSES_ABOVE), s -> s.subSet(Rung.high(previous), false, Rung.high(value), true), moved);
    }
    if (previous != null && previous.compareTo(value) > 0) {
      collect(l.armed.get(Condition.CROSSES_BELOW), s -> s.subSet(Rung.low(value), true, Rung.low(previous), false), moved);
    }
    collect(l.rearmAtOrBelow, s -> s.tailSet(Rung.low(value), true), moved);
    collect(l.rearmAtOrAbove, s -> s.headSet(Rung.high(value), true), moved);
    return moved;
  }

  /** The active alerts on this position. */
  public Collection<Alert> onPosition(PositionKey key) {
    return List.copyOf(byPosition.getOrDefault(key, Map.of()).values());
  }

  /**
   * The active unrealized-PnL alerts on the symbol's positions that a quote at {@code mark} may fire or arm again:
   * those whose level it reaches, and those of positions not known or flat. A superset of the ones it moves.
   */
  public List<Alert> unrealizedMovedBy(String symbol, BigDecimal mark) {
    List<Alert> moved = new ArrayList<>(unrealizedUnkeyed.getOrDefault(symbol, Map.of()).values());
    collect(unrealizedUp.get(symbol), s -> s.headSet(Rung.high(mark), true), moved);
    collect(unrealizedDown.get(symbol), s -> s.tailSet(Rung.low(mark), true), moved);
    return moved;
  }

  /**
   * The position as it now is, for the unrealized-PnL alerts on it: each waits from now on at the mark that moves
   * it given this quantity and average (every quote reads them while it is flat).
   */
  public void setPosition(PositionKey key, BigDecimal quantity, BigDecimal average) {
    Terms after = quantity.signum() == 0 || average == null ? null : new Terms(quantity, average);
    Terms before = terms.get(key);
    if (Objects.equals(before, after) || before == null && unrealizedOf(key).isEmpty()) {
      return; // unchanged, or no alert to key: a position without one is not remembered
    }
    reterm(key, after);
    undo.push(() -> reterm(key, before));
  }

  private List<Alert> unrealizedOf(PositionKey key) {
    return byPosition.getOrDefault(key, Map.of()).values().stream().filter(a -> a.kind() == Kind.UNREALIZED_PNL)
        .toList();
  }

  private void reterm(PositionKey key, Terms after) {
    List<Alert> unrealized = unrealizedOf(key);
    unrealized.forEach(this::unlink);
    if (after == null) {
      terms.remove(key);
    } else {
      terms.put(key, after);
    }
    unrealized.forEach(this::link);
  }

  /** The active alerts whose expiry is at or before {@code now}, soonest first, at most {@code limit}. */
  public List<Alert> expiredBy(long now, int limit) {
    List<Alert> due = new ArrayList<>();
    for (Rung rung : byExpiry.headSet(Rung.high(BigDecimal.valueOf(now)), true)) {
      if (due.size() == limit) {
        break;
      }
      due.add(active.get(rung.alertId()));
    }
    return due;
  }

  /** The soonest expiry of an active alert, or null when none has one. */
  public Long nextExpiry() {
    return byExpiry.isEmpty() ? null : byExpiry.first().level().longValueExact();
  }

  /** The changes since the last commit are committed: they can no longer be undone. */
  public void committed() {
    undo.clear();
  }

  /** The changes since the last commit are undone. */
  public void rolledBack() {
    while (!undo.isEmpty()) {
      undo.pop().run();
    }
  }

  private interface Range {
    NavigableSet<Rung> of(NavigableSet<Rung> ladder);
  }

  private void collect(NavigableSet<Rung> ladder, Range range, List<Alert> into) {
    if (ladder != null) {
      for (Rung rung : range.of(ladder)) {
        into.add(active.get(rung.alertId()));
      }
    }
  }

  /** Whatever is indexed under the id gives way to {@code after} (indexed only if ACTIVE; null: nothing). */
  private void replace(String alertId, Alert after) {
    Alert indexed = active.get(alertId);
    if (indexed != null) {
      unlink(indexed);
    }
    if (after != null && after.status() == Status.ACTIVE) {
      link(after);
    }
  }

  private void link(Alert alert) {
    active.put(alert.alertId(), alert);
    activeByKind.merge(alert.kind(), 1L, Long::sum);
    if (alert.expiresAt() != null) {
      byExpiry.add(expiryRung(alert));
    }
    if (alert.kind().isPrice()) {
      ladders.computeIfAbsent(new PriceKey(alert.symbol(), alert.kind()), k -> new Ladders())
          .ladderOf(alert).add(rung(alert));
      return;
    }
    byPosition.computeIfAbsent(key(alert), k -> new TreeMap<>()).put(alert.alertId(), alert);
    if (alert.kind() == Kind.UNREALIZED_PNL) {
      Trigger trigger = trigger(alert);
      if (trigger == null) {
        unrealizedUnkeyed.computeIfAbsent(alert.symbol(), k -> new TreeMap<>()).put(alert.alertId(), alert);
      } else {
        (trigger.up() ? unrealizedUp : unrealizedDown).computeIfAbsent(alert.symbol(), k -> new TreeSet<>(Rung.ORDER))
            .add(new Rung(trigger.level(), 0, alert.alertId()));
      }
    }
  }

  private void unlink(Alert alert) {
    active.remove(alert.alertId());
    activeByKind.computeIfPresent(alert.kind(), (k, n) -> n == 1 ? null : n - 1);
    if (alert.expiresAt() != null) {
      byExpiry.remove(expiryRung(alert));
    }
    if (alert.kind().isPrice()) {
      PriceKey key = new PriceKey(alert.symbol(), alert.kind());
      Ladders l = ladders.get(key);
      l.ladderOf(alert).remove(rung(alert));
      if (l.isEmpty()) {
        ladders.remove(key);
      }
      return;
    }
    removeFrom(byPosition, key(alert), alert.alertId());
    if (alert.kind() == Kind.UNREALIZED_PNL) {
      Trigger trigger = trigger(alert);
      if (trigger == null) {
        removeFrom(unrealizedUnkeyed, alert.symbol(), alert.alertId());
      } else {
        Map<String, NavigableSet<Rung>> ladder = trigger.up() ? unrealizedUp : unrealizedDown;
        NavigableSet<Rung> rungs = ladder.get(alert.symbol());
        rungs.remove(new Rung(trigger.level(), 0, alert.alertId()));
        if (rungs.isEmpty()) {
          ladder.remove(alert.symbol());
        }
      }
    }
  }

  private static <K> void removeFrom(Map<K, Map<String, Alert>> map, K key, String alertId) {
    Map<String, Alert> alerts = map.get(key);
    alerts.remove(alertId);
    if (alerts.isEmpty()) {
      map.remove(key);
    }
  }

  /**
   * The mark at which an unrealized-PnL alert of a known, open position would next fire (armed) or arm again
   * (disarmed), or null when its position is not known or flat. PnL u = q × (m − a) reaches T from below (u ≥ T)
   * at m ≥ a + T/q when q &gt; 0 and at m ≤ a + T/q when q &lt; 0, and the other way round for u ≤ T. The level is
   * rounded away from the side that moves the alert, so that no mark that moves it is left out.
   */
  private Trigger trigger(Alert alert) {
    Terms t = terms.get(key(alert));
    if (t == null) {
      return null;
    }
    boolean rising = alert.armed() ? alert.condition().isUpward() : !alert.condition().isUpward();
    BigDecimal pnl = alert.armed() ? alert.threshold() : AlertRules.rearmLevel(alert);
    boolean up = rising == (t.quantity().signum() > 0);
    MathContext outward = new MathContext(LEVEL_DIGITS, up ? RoundingMode.FLOOR : RoundingMode.CEILING);
    return new Trigger(up, t.average().add(pnl.divide(t.quantity(), outward)));
  }

  private static Rung rung(Alert alert) {
    return new Rung(alert.armed() ? alert.threshold() : AlertRules.rearmLevel(alert), 0, alert.alertId());
  }

  private static Rung expiryRung(Alert alert) {
    return new Rung(BigDecimal.valueOf(alert.expiresAt()), 0, alert.alertId());
  }

  private static PositionKey key(Alert alert) {
    return new PositionKey(alert.account(), alert.symbol());
  }
}
