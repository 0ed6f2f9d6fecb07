package io.tradestore.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * The tokens a client may present. A presented secret is hashed and compared with every known hash in constant
 * time ({@link MessageDigest#isEqual}), all of them each time, so neither the answer's timing nor its work says
 * which token came close.
 */
public final class AccessTokens {
  private final List<AccessToken> tokens;

  public AccessTokens(List<AccessToken> tokens) {
    this.tokens = List.copyOf(tokens);
  }

  public List<AccessToken> all() {
    return tokens;
  }

  /** The token whose secret this is, if any. */
  public Optional<AccessToken> match(String presented) {
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    byte[] hash = sha256(presented);
    AccessToken found = null;
    for (AccessToken token : tokens) {
      if (MessageDigest.isEqual(hash, token.sha256()) && found == null) {
        found = token;
      }
    }
    return Optional.ofNullable(found);
  }

  public static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
