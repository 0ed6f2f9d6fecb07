package io.tradestore.cli;

import io.tradestore.security.AccessTokens;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenCommandTest {
  private static String run() {
    StringWriter out = new StringWriter();
    int exit = Main.commandLine().setOut(new PrintWriter(out)).execute("token", "--name", "risk");
    assertEquals(0, exit, out.toString());
    return out.toString();
  }

  @Test
  void aNewTokenIsPrintedWithTheEntryThatHoldsOnlyItsHash() {
    String printed = run();
    String token = printed.lines().findFirst().orElseThrow().replaceAll("^.*: ", "");
    assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token); // 256 bits, base64url
    JsonObject entry = new JsonObject(printed.substring(printed.indexOf('{')));
    assertEquals("risk", entry.getString("name"));
    assertEquals(HexFormat.of().formatHex(AccessTokens.sha256(token)), entry.getString("sha256"));
    assertTrue(!entry.encode().contains(token), "the entry does not hold the token");
    assertNotEquals(token, run().lines().findFirst().orElseThrow().replaceAll("^.*: ", ""), "each token is new");
  }
}
