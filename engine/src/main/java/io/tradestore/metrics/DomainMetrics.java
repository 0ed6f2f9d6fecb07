package io.tradestore.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tradestore.Addresses;
import io.tradestore.domain.order.OrderStatus;

import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Trading meters: fills recorded, duplicates detected, quotes expired, and the orders-by-status and open-positions
 * gauges ({@link DomainGaugeVerticle} refreshes them from the database every few seconds).
 *
 * <p>One instance per registry: {@link #of(MeterRegistry)} hands out the same one to every caller, so that code
 * with access to the registry (a quote expiry job, for instance) can count without being wired to anything else.
 */
public final class DomainMetrics {
  /** Addresses whose reply can say {@code "duplicate": true}: their duplicates counter starts at 0. */
  static final List<String> IDEMPOTENT_ADDRESSES = List.of(Addresses.QUOTES_SUBMIT, Addresses.QUOTES_CANCEL,
      Addresses.ORDERS_PLACE, Addresses.ORDERS_UPDATE, Addresses.ORDERS_CANCEL, Addresses.FILLS_RECORD,
      Addresses.BALANCES_UPDATE);

  private static final Map<MeterRegistry, DomainMetrics> BY_REGISTRY = Collections.synchronizedMap(new WeakHashMap<>());

  /** Weak: the instance is the value of a weak map keyed by the registry, which it must not keep alive. */
  private final WeakReference<MeterRegistry> registry;
  private final Counter fillsOnTime;
  private final Counter fillsLate;
  private final Counter quotesExpired;
  private final ConcurrentHashMap<String, Counter> duplicates = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicLong> ordersByStatus = new ConcurrentHashMap<>();
  private final AtomicLong openPositions = new AtomicLong();

  private DomainMetrics(MeterRegistry registry) {
    this.registry = new WeakReference<>(registry);
    fillsOnTime = fills(registry, false);
    fillsLate = fills(registry, true);
    quotesExpired = Counter.builder("tradestore.quotes.expired")
        .description("Quotes that reached their expiry time while still ACTIVE and were marked EXPIRED").register(registry);
    IDEMPOTENT_ADDRESSES.forEach(this::duplicates);
    for (OrderStatus status : OrderStatus.values()) {
      AtomicLong count = ordersByStatus.computeIfAbsent(status.name(), s -> new AtomicLong());
      Gauge.builder("tradestore.orders", count, AtomicLong::get).tag("status", status.name())
          .description("Orders by status (refreshed every few seconds)").register(registry);
    }
    Gauge.builder("tradestore.positions.open", openPositions, AtomicLong::get)
        .description("Positions (account and symbol) whose quantity is not zero (refreshed every few seconds)")
        .register(registry);
  }

  private MeterRegistry registry() {
    MeterRegistry live = registry.get();
    // only reachable after the engine dropped its registry: count into a registry nobody reads
    return live != null ? live : new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
  }

  /** The registry's domain meters, registered on first use. */
  public static DomainMetrics of(MeterRegistry registry) {
    return BY_REGISTRY.computeIfAbsent(registry, DomainMetrics::new);
  }

  private static Counter fills(MeterRegistry registry, boolean late) {
    return Counter.builder("tradestore.fills.recorded").tag("late", String.valueOf(late))
        .description("Fills recorded (resends of a recorded fill excluded); late: on an order already closed")
        .register(registry);
  }

  private Counter duplicates(String address) {
    return duplicates.computeIfAbsent(address, a -> Counter.builder("tradestore.duplicates.detected").tag("address", a)
        .description("Commands recognised as a resend of one already applied, answered without a change")
        .register(registry()));
  }

  /** A quote was marked EXPIRED (called by the expiry job). */
  public void quoteExpired() {
    quotesExpired.increment();
  }

  /** {@code count} quotes were marked EXPIRED at once. */
  public void quotesExpired(long count) {
    if (count > 0) {
      quotesExpired.increment(count);
    }
  }

  public void fillRecorded(boolean late) {
    (late ? fillsLate : fillsOnTime).increment();
  }

  public void duplicateDetected(String address) {
    duplicates(address).increment();
  }

  /** New values for the orders gauge; a status absent from the map has no orders. */
  void ordersByStatus(Map<String, Long> counts) {
    ordersByStatus.forEach((status, gauge) -> gauge.set(counts.getOrDefault(status, 0L)));
  }

  void openPositions(long count) {
    openPositions.set(count);
  }
}
