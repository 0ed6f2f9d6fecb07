package io.tradestore.bridge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tradestore.RateLimitedLog;
import io.vertx.core.net.SocketAddress;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the bridge's limits did: open connections, requests awaiting replies, frames and connections refused by
 * reason, and how often a connection's socket stopped being read. Refusals are also logged, at most one line per
 * reason every ten seconds, so that a hostile client costs the log a few lines, not one per frame.
 */
final class BridgeMetrics {
  private static final RateLimitedLog LOG = new RateLimitedLog(LoggerFactory.getLogger(BridgeConnection.class), 10, TimeUnit.SECONDS);

  private final Map<BridgeRefusal, Counter> refusals = new EnumMap<>(BridgeRefusal.class);
  private final Counter pauses;

  BridgeMetrics(MeterRegistry registry, Supplier<Number> connections, Supplier<Number> inFlight) {
    Gauge.builder("tradestore.bridge.connections", connections)
        .description("Connections open on the TCP event-bus bridge").register(registry);
    Gauge.builder("tradestore.bridge.requests.in.flight", inFlight)
        .description("Requests sent through the bridge and not yet answered, over all connections").register(registry);
    for (BridgeRefusal reason : BridgeRefusal.values()) {
      refusals.put(reason, Counter.builder("tradestore.bridge.refusals").tag("reason", reason.message())
          .description("Frames and connections the bridge refused, by reason").register(registry));
    }
    pauses = Counter.builder("tradestore.bridge.pauses")
        .description("Times a connection's socket stopped being read because a limit was reached").register(registry);
  }

  void refused(BridgeRefusal reason, SocketAddress client, String detail) {
    refusals.get(reason).increment();
    LOG.warn(reason.message(), "bridge: {} from {} ({}){}", reason.message(), client, detail,
        reason.closes() ? "; connection closed" : "");
  }

  void paused() {
    pauses.increment();
  }
}
