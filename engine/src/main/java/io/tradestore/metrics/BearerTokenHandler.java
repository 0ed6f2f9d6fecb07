package io.tradestore.metrics;

import io.tradestore.RateLimitedLog;
import io.tradestore.security.AccessToken;
import io.tradestore.security.AccessTokens;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Lets a request through to {@code /metrics} and {@code /health} only with {@code Authorization: Bearer <token>}
 * of a token allowed {@code "http": true} (Prometheus: {@code authorization.credentials_file}). Anything else is
 * 401, logged at most once a minute, never with the token.
 */
final class BearerTokenHandler implements Handler<RoutingContext> {
  private static final RateLimitedLog LOG = new RateLimitedLog(LoggerFactory.getLogger(BearerTokenHandler.class), 60, TimeUnit.SECONDS);
  private static final String PREFIX = "Bearer ";

  private final AccessTokens tokens;

  BearerTokenHandler(AccessTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public void handle(RoutingContext context) {
    String header = context.request().getHeader("Authorization");
    Optional<AccessToken> token = header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
        ? tokens.match(header.substring(PREFIX.length()).trim()) : Optional.empty();
    if (token.isPresent() && token.get().http()) {
      context.next();
      return;
    }
    LOG.warn("unauthorized", "http: {} {} from {} refused: {}", context.request().method(), context.request().path(),
        context.request().remoteAddress(), header == null ? "no token" : token.isPresent() ? "token " + token.get().name()
            + " may not read the HTTP endpoint" : "an unknown token");
    context.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer realm=\"tradestore\"").end();
  }
}
