package io.tradestore.bridge;

import io.tradestore.config.EngineConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point for other processes: the Vert.x TCP event-bus bridge (4-byte length + JSON frames). Only the
 * configured address patterns pass; anything else is answered with {@code access_denied} by the bridge.
 */
public final class BridgeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeVerticle.class);

  private final EngineConfig.Bridge settings;
  private TcpEventBusBridge bridge;

  public BridgeVerticle(EngineConfig.Bridge settings) {
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    BridgeOptions options = new BridgeOptions();
    settings.inboundPermitted().forEach(regex -> options.addInboundPermitted(new PermittedOptions().setAddressRegex(regex)));
    settings.outboundPermitted().forEach(regex -> options.addOutboundPermitted(new PermittedOptions().setAddressRegex(regex)));
    bridge = TcpEventBusBridge.create(vertx, options);
    return bridge.listen(settings.port(), settings.host()).onSuccess(b -> LOG.info("event-bus bridge listening on {}:{} (inbound {}, outbound {})", settings.host(), settings.port(),
          settings.inboundPermitted(), settings.outboundPermitted()));
  }

  @Override
  public Future<?> stop() {
    return bridge == null ? Future.succeededFuture() : bridge.close();
  }
}
