package io.tradestore.cli;

import io.tradestore.security.AccessTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.Callable;

/**
 * Makes a new access token: 256 random bits, printed once for the client to keep, with the entry for
 * {@code security.tokensFile}, which holds only the token's SHA-256. The engine never stores the token itself.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = "Make a new access token and print it with its entry for security.tokensFile.")
public final class TokenCommand implements Callable<Integer> {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Spec
  CommandSpec spec;

  @Option(names = "--name", required = true, paramLabel = "NAME", description = "Who the token is for (logs name it).")
  String name;

  @Override
  public Integer call() {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    JsonObject entry = new JsonObject().put("name", name)
        .put("sha256", HexFormat.of().formatHex(AccessTokens.sha256(token)))
        .put("send", new JsonArray()).put("publish", new JsonArray()).put("register", new JsonArray()).put("http", false);
    PrintWriter out = spec.commandLine().getOut();
    out.println("token (give it to the client; it is not stored anywhere): " + token);
    out.println("entry for the tokens file (fill in what it may do):");
    out.println(entry.encodePrettily());
    out.flush();
    return 0;
  }
}
