package io.tradestore.bridge;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which addresses a bridge client may send to, publish to and register on: the TCP bridge module's permission
 * model (whole-address regular expressions, nothing passes that no pattern matches), compiled once.
 */
final class AddressPermissions {
  private final List<Pattern> send;
  private final List<Pattern> publish;
  private final List<Pattern> register;

  AddressPermissions(List<String> send, List<String> publish, List<String> register) {
    this.send = compile(send);
    this.publish = compile(publish);
    this.register = compile(register);
  }

  boolean maySend(String address) {
    return matches(send, address);
  }

  boolean mayPublish(String address) {
    return matches(publish, address);
  }

  boolean mayRegister(String address) {
    return matches(register, address);
  }

  private static boolean matches(List<Pattern> patterns, String address) {
    for (Pattern pattern : patterns) {
      if (pattern.matcher(address).matches()) {
        return true;
      }
    }
    return false;
  }

  private static List<Pattern> compile(List<String> regexes) {
    return regexes.stream().map(Pattern::compile).toList();
  }
}
