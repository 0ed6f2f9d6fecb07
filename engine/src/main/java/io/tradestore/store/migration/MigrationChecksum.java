package io.tradestore.store.migration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The checksum stored for every applied file. It is taken over the normalized text (no BOM, {@code \n} line
 * breaks) so that a checkout with CRLF line endings or an editor adding a BOM does not count as a change, while
 * line boundaries stay in the hash: joining {@code -- c} with the next line turns a statement into a comment and
 * must change the checksum. The prefix names the algorithm so that it can evolve without ambiguity.
 *
 * <p>Known blind spot: a CRLF inside a string literal reaches the data but is normalized away here.
 */
public final class MigrationChecksum {
  public static final String PREFIX = "sha256v1:";

  private MigrationChecksum() { }

  /** BOM stripped, CRLF and lone CR turned into LF. */
  public static String normalize(String text) {
    String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
    return t.replace("\r\n", "\n").replace('\r', '\n');
  }

  /** The checksum of already normalized text. */
  public static String of(String normalizedText) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return PREFIX + HexFormat.of().formatHex(sha.digest(normalizedText.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
