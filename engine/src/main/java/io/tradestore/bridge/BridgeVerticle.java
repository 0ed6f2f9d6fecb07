package io.tradestore.bridge;

import io.micrometer.core.instrument.MeterRegistry;
import io.tradestore.config.EngineConfig;
import io.tradestore.security.AccessTokens;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The entry point for other processes: the TCP event-bus bridge protocol (4-byte length + JSON frames) on a
 * socket server of the engine's own, so that every limit holds before a frame is read whole
 * ({@link BridgeConnection}, docs/security.md says why the bridge module alone could not). Only the configured
 * address patterns pass; anything else is answered {@code access_denied}.
 */
public final class BridgeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeVerticle.class);
  /** How often unfinished frames are checked against {@code bridge.frameTimeoutMs}. */
  private static final long DEADLINE_SWEEP_MS = 1_000;

  private final EngineConfig.Bridge settings;
  private final AccessTokens tokens;
  private final MeterRegistry registry;
  private final Set<BridgeConnection> connections = new HashSet<>();
  private NetServer server;

  /** {@code tokens} null: no access tokens, every client has the configured patterns. */
  public BridgeVerticle(EngineConfig.Bridge settings, AccessTokens tokens, MeterRegistry registry) {
    this.settings = settings;
    this.tokens = tokens;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    EngineConfig.BridgeLimits limits = settings.limits();
    BridgeAccess access = BridgeAccess.of(settings, tokens);
    InFlightBudget budget = new InFlightBudget(limits.maxInFlight());
    BridgeMetrics metrics = new BridgeMetrics(registry, connections::size, budget::inFlight);
    NetServerOptions options = new NetServerOptions()
        .setIdleTimeout(limits.idleTimeoutSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS);
    if (settings.tls() != null) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setKeyPath(settings.tls().keyPath().toString()).setCertPath(settings.tls().certPath().toString()));
    }
    server = vertx.createNetServer(options);
    server.connectHandler(socket -> accept(socket, access, budget, limits, metrics));
    vertx.setPeriodic(DEADLINE_SWEEP_MS, id -> {
      long now = System.nanoTime();
      for (BridgeConnection connection : connections.toArray(BridgeConnection[]::new)) {
        connection.checkFrameDeadline(now);
      }
    });
    return server.listen(settings.port(), settings.host()).onSuccess(s -> LOG.info(
        "event-bus bridge listening on {}:{} ({}, {}; frames up to {} bytes, {} connections, "
            + "{} requests in flight per connection and {} in all)",
        settings.host(), s.actualPort(), settings.tls() == null ? "plain TCP" : "TLS",
        access.needsTokens() ? tokens.all().size() + " access tokens" : "no access tokens, inbound " + settings.inboundPermitted()
            + ", publish " + settings.publishPermitted() + ", outbound " + settings.outboundPermitted(),
        limits.maxFrameBytes(), limits.maxConnections(), limits.maxPipelined(), limits.maxInFlight()));
  }

  private void accept(NetSocket socket, BridgeAccess access, InFlightBudget budget,
                      EngineConfig.BridgeLimits limits, BridgeMetrics metrics) {
    BridgeConnection connection = new BridgeConnection(socket, vertx.eventBus(), access, budget, limits, metrics);
    if (connections.size() >= limits.maxConnections()) {
      connection.refuseConnection();
      return;
    }
    connections.add(connection);
    socket.closeHandler(v -> {
      connections.remove(connection);
      connection.closed();
    });
  }

  /** The port the bridge listens on (the configured one, or the one chosen for port 0). */
  public int port() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
