package io.tradestore.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradestore.config.EngineConfig;
import io.tradestore.security.AccessTokens;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's HTTP endpoint: {@code /metrics} for Prometheus, {@code /health} (and {@code /health/ready})
 * answering 200 when the engine can serve and 503 otherwise, {@code /health/live} answering 200 while the
 * process runs.
 */
public final class OpsHttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(OpsHttpVerticle.class);

  private final EngineConfig.Http settings;
  private final AccessTokens tokens;
  private final PrometheusMeterRegistry registry;
  private final HealthChecks readiness;
  private HttpServer server;

  /** {@code tokens} null: no access tokens; else every request must carry one with {@code "http": true}. */
  public OpsHttpVerticle(EngineConfig.Http settings, AccessTokens tokens, PrometheusMeterRegistry registry, HealthChecks readiness) {
    this.settings = settings;
    this.tokens = tokens;
    this.registry = registry;
    this.readiness = readiness;
  }

  @Override
  public Future<?> start() {
    HealthChecks liveness = HealthChecks.create(vertx).register("process", promise -> promise.complete(Status.OK()));
    Router router = Router.router(vertx);
    if (tokens != null) {
      router.route().handler(new BearerTokenHandler(tokens));
    }
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(liveness));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness));
    router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(readiness));
    HttpServerOptions options = new HttpServerOptions();
    if (settings.tls() != null) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setKeyPath(settings.tls().keyPath().toString()).setCertPath(settings.tls().certPath().toString()));
    }
    return vertx.createHttpServer(options).requestHandler(router).listen(settings.port(), settings.host()).onSuccess(s -> {
      server = s;
      LOG.info("HTTP endpoint on {}://{}:{} (/metrics, /health{})", settings.tls() == null ? "http" : "https",
          settings.host(), s.actualPort(), tokens == null ? "" : "; bearer token required");
    });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** The bound port (useful when the configured port is 0). */
  public int port() {
    return server == null ? -1 : server.actualPort();
  }
}
