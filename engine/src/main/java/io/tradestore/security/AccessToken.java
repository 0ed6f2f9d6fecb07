package io.tradestore.security;

import java.util.List;

/**
 * One client's credential, as the operator wrote it in the tokens file: a name for logs and metrics, the SHA-256
 * of the secret (the secret itself is never stored by the engine), and what it may do: the address patterns it may
 * send to, publish to and register on through the bridge, and whether it may read the HTTP endpoint.
 */
public record AccessToken(String name, byte[] sha256, List<String> send, List<String> publish, List<String> register,
                          boolean http) {
  public AccessToken {
    sha256 = sha256.clone();
    send = List.copyOf(send);
    publish = List.copyOf(publish);
    register = List.copyOf(register);
  }

  @Override
  public byte[] sha256() {
    return sha256.clone();
  }

  @Override
  public String toString() {
    return "AccessToken[" + name + "]";
  }
}
