package io.tradestore.bridge;

import io.tradestore.config.EngineConfig;
import io.tradestore.security.AccessToken;
import io.tradestore.security.AccessTokens;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Which permissions a frame is judged by. Without access tokens every client has the bridge's configured
 * patterns; with them, a frame carries its client's token in {@code headers.token} and is judged by that token's
 * own patterns, and a frame without a valid one is refused. The token header is the engine's: it is taken off the
 * frame and never reaches a handler or a log.
 */
final class BridgeAccess {
  static final String TOKEN_HEADER = "token";

  private final AddressPermissions open;
  private final AccessTokens tokens;
  private final Map<AccessToken, AddressPermissions> byToken = new IdentityHashMap<>();

  private BridgeAccess(AddressPermissions open, AccessTokens tokens) {
    this.open = open;
    this.tokens = tokens;
    if (tokens != null) {
      for (AccessToken token : tokens.all()) {
        byToken.put(token, new AddressPermissions(token.send(), token.publish(), token.register()));
      }
    }
  }

  static BridgeAccess of(EngineConfig.Bridge settings, AccessTokens tokens) {
    return tokens == null
        ? new BridgeAccess(new AddressPermissions(settings.inboundPermitted(), settings.publishPermitted(), settings.outboundPermitted()), null)
        : new BridgeAccess(null, tokens);
  }

  boolean needsTokens() {
    return tokens != null;
  }

  /** A connection's view: it remembers the last token its client proved, so that a steady client is hashed once. */
  Session session() {
    return new Session();
  }

  final class Session {
    private String provenSecret;
    private AddressPermissions provenPermissions;

    /** The permissions for a frame carrying {@code secret}, or null when the frame may do nothing. */
    AddressPermissions permissionsFor(String secret) {
      if (tokens == null) {
        return open;
      }
      if (secret == null) {
        return null;
      }
      if (secret.equals(provenSecret)) { // compared with what this very client already proved: nothing to learn
        return provenPermissions;
      }
      AddressPermissions permissions = tokens.match(secret).map(byToken::get).orElse(null);
      if (permissions != null) {
        provenSecret = secret;
        provenPermissions = permissions;
      }
      return permissions;
    }
  }
}
