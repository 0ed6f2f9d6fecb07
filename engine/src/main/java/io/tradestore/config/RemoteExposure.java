package io.tradestore.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Refuses a listener that would be reachable from other machines without TLS and access tokens. On loopback
 * only local processes reach the engine; beyond it, anyone on the network could place orders or read every
 * account's events, so the operator must either secure it or say, with {@code security.allowInsecureRemote},
 * that something else does (a private network, a TLS-terminating proxy).
 */
final class RemoteExposure {
  private RemoteExposure() { }

  static void check(String listener, String host, EngineConfig.Tls tls, EngineConfig.Security security) {
    if (security.allowInsecureRemote() || isLoopback(listener, host) || (tls != null && security.tokensFile() != null)) {
      return;
    }
    throw new InvalidConfigException(listener + ".host", host, "a loopback address (127.0.0.1, ::1, localhost) unless "
        + listener + ".tls and security.tokensFile are set (or security.allowInsecureRemote is true): "
        + "beyond loopback anyone on the network could trade");
  }

  private static boolean isLoopback(String listener, String host) {
    try {
      InetAddress[] addresses = InetAddress.getAllByName(host);
      for (InetAddress address : addresses) {
        if (!address.isLoopbackAddress()) {
          return false;
        }
      }
      return addresses.length > 0;
    } catch (UnknownHostException e) {
      throw new InvalidConfigException(listener + ".host", host, "a host name or address this machine can resolve");
    }
  }
}
