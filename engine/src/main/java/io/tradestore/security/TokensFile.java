package io.tradestore.security;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads {@code security.tokensFile}: a JSON object {@code {"tokens": [{"name", "sha256", "send", "publish",
 * "register", "http"}, ...]}}. The file must be readable by its owner only, as a key file for ssh must: a tokens
 * file others can read lets them see who may do what, and one they can write lets them grant themselves anything.
 * Every mistake is refused with the entry and field at fault, so that the engine never starts on half a policy.
 */
public final class TokensFile {
  private TokensFile() { }

  public static AccessTokens read(Path file) {
    requireOwnerOnly(file);
    JsonObject root;
    try {
      root = new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the tokens file " + file + ": " + e.getMessage(), e);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("the tokens file " + file + " is not a JSON object: " + e.getMessage(), e);
    }
    if (!(root.getValue("tokens") instanceof JsonArray entries)) {
      throw new IllegalArgumentException("the tokens file " + file + " needs a \"tokens\" array");
    }
    List<AccessToken> tokens = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      String where = file + ": tokens[" + i + "]";
      if (!(entries.getValue(i) instanceof JsonObject entry)) {
        throw new IllegalArgumentException(where + " must be an object");
      }
      AccessToken token = token(entry, where);
      if (!names.add(token.name())) {
        throw new IllegalArgumentException(where + ": the name " + token.name() + " is used twice");
      }
      if (!hashes.add(HexFormat.of().formatHex(token.sha256()))) {
        throw new IllegalArgumentException(where + ": the same sha256 as an earlier token");
      }
      tokens.add(token);
    }
    return new AccessTokens(tokens);
  }

  private static AccessToken token(JsonObject entry, String where) {
    for (String field : entry.fieldNames()) {
      if (!Set.of("name", "sha256", "send", "publish", "register", "http").contains(field)) {
        throw new IllegalArgumentException(where + ": unknown field " + field);
      }
    }
    if (!(entry.getValue("name") instanceof String name) || name.isBlank()) {
      throw new IllegalArgumentException(where + ": name must be non-blank text");
    }
    if (!(entry.getValue("sha256") instanceof String hex) || !hex.matches("[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException(where + " (" + name + "): sha256 must be 64 hex digits "
          + "(java -jar tradestore.jar token makes a token and its sha256)");
    }
    Object http = entry.getValue("http", false);
    if (!(http instanceof Boolean mayReadHttp)) {
      throw new IllegalArgumentException(where + " (" + name + "): http must be true or false");
    }
    return new AccessToken(name, HexFormat.of().parseHex(hex), patterns(entry, "send", where, name),
        patterns(entry, "publish", where, name), patterns(entry, "register", where, name), mayReadHttp);
  }

  private static List<String> patterns(JsonObject entry, String field, String where, String name) {
    Object raw = entry.getValue(field);
    if (raw == null) {
      return List.of();
    }
    if (!(raw instanceof JsonArray array)) {
      throw new IllegalArgumentException(where + " (" + name + "): " + field + " must be an array of regular expressions");
    }
    List<String> patterns = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String regex)) {
        throw new IllegalArgumentException(where + " (" + name + "): " + field + " must hold text only");
      }
      try {
        Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(where + " (" + name + "): " + field + " has an invalid pattern " + regex
            + " (" + e.getDescription() + ")");
      }
      patterns.add(regex);
    }
    return patterns;
  }

  private static void requireOwnerOnly(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("the tokens file " + file + " does not exist or is not a file");
    }
    try {
      Set<PosixFilePermission> others = Files.getPosixFilePermissions(file);
      others.removeAll(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
      if (!others.isEmpty()) {
        throw new IllegalArgumentException("the tokens file " + file + " is accessible to others ("
            + java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file))
            + "); restrict it with: chmod 600 " + file);
      }
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: its own access control applies
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the permissions of " + file + ": " + e.getMessage(), e);
    }
  }
}
