package io.tradestore.security;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokensFileTest {
  @TempDir Path dir;

  private Path write(JsonObject content, String mode) throws Exception {
    Path file = dir.resolve("tokens-" + System.nanoTime() + ".json");
    Files.writeString(file, content.encode());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }

  private static JsonObject one(JsonObject entry) {
    return new JsonObject().put("tokens", new JsonArray().add(entry));
  }

  private static JsonObject entry(String name, String secret) {
    return new JsonObject().put("name", name).put("sha256", HexFormat.of().formatHex(AccessTokens.sha256(secret)))
        .put("send", new JsonArray().add("trading\\\\..+"));
  }

  @Test
  void aTokenIsFoundByItsSecretAndNeverByAnotherString() throws Exception {
    AccessTokens tokens = TokensFile.read(write(new JsonObject().put("tokens", new JsonArray()
        .add(entry("a", "secret-a")).add(entry("b", "secret-b").put("http", true))), "rw-------"));
    assertEquals("a", tokens.match("secret-a").orElseThrow().name());
    assertEquals(true, tokens.match("secret-b").orElseThrow().http());
    assertTrue(tokens.match("secret-").isEmpty());
    assertTrue(tokens.match("").isEmpty());
    assertTrue(tokens.match(null).isEmpty());
    assertEquals(List.of(), tokens.match("secret-a").orElseThrow().register());
  }

  @Test
  void aFileOthersCanReadIsRefused() throws Exception {
    Path file = write(one(entry("a", "s")), "rw-r--r--");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokensFile.read(file));
    assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
  }

  @Test
  void eachMistakeIsRefusedNamingTheEntry() throws Exception {
    List<JsonObject> wrong = List.of(
        new JsonObject(),
        one(new JsonObject().put("sha256", "00")),
        one(entry("a", "s").put("sha256", "abc")),
        one(entry("a", "s").put("send", "trading.*")),
        one(entry("a", "s").put("send", new JsonArray().add("(unclosed"))),
        one(entry("a", "s").put("http", "yes")),
        one(entry("a", "s").put("sendd", new JsonArray())),
        new JsonObject().put("tokens", new JsonArray().add(entry("a", "s")).add(entry("a", "t"))),
        new JsonObject().put("tokens", new JsonArray().add(entry("a", "s")).add(entry("b", "s"))));
    for (JsonObject content : wrong) {
      Path file = write(content, "rw-------");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokensFile.read(file), content.encode());
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
  }
}
