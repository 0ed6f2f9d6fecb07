package io.tradestore.client;

import io.vertx.core.net.ClientSSLOptions;

import java.time.Duration;
import java.util.Objects;

/** Where the engine's bridge is and how to talk to it; the defaults suit an engine on this host. */
public final class ClientOptions {
  /** The bridge's longest request timeout ({@code headers.timeout}). */
  public static final Duration MAX_REQUEST_TIMEOUT = Duration.ofMinutes(5);

  private String host = "127.0.0.1";
  private int port = 7000;
  private String token;
  private ClientSSLOptions tls;
  private Duration requestTimeout = Duration.ofSeconds(30);
  private Duration connectTimeout = Duration.ofSeconds(10);
  private Duration pingInterval = Duration.ofSeconds(20);
  private boolean reconnect = true;
  private Duration maxBackoff = Duration.ofSeconds(5);
  private int maxFrameBytes = BridgeFrames.ENGINE_MAX_FRAME_BYTES;
  private int maxIncomingFrameBytes = 16 * 1_048_576;

  public static ClientOptions of(String host, int port) {
    return new ClientOptions().host(host).port(port);
  }

  public ClientOptions host(String host) {
    this.host = Objects.requireNonNull(host, "host");
    return this;
  }

  public ClientOptions port(int port) {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be from 1 to 65535, not " + port);
    }
    this.port = port;
    return this;
  }

  /** The access token, sent in every frame's headers, for an engine with {@code bridge.tokens} on. */
  public ClientOptions token(String token) {
    this.token = token;
    return this;
  }

  /** TLS with these options ({@code new ClientSSLOptions()} for the JVM's trust store); null for plain TCP. */
  public ClientOptions tls(ClientSSLOptions tls) {
    this.tls = tls;
    return this;
  }

  /** How long a request waits for its reply unless the call says otherwise; sent as {@code headers.timeout}. */
  public ClientOptions requestTimeout(Duration timeout) {
    this.requestTimeout = checkedTimeout(timeout);
    return this;
  }

  public ClientOptions connectTimeout(Duration timeout) {
    this.connectTimeout = positive(timeout, "connectTimeout");
    return this;
  }

  /** Keep-alive pings at this interval; null or zero for none. */
  public ClientOptions pingInterval(Duration interval) {
    this.pingInterval = interval == null || interval.isZero() ? null : positive(interval, "pingInterval");
    return this;
  }

  /**
   * After a lost connection, connect again with backoff (jittered, doubling up to {@link #maxBackoff(Duration)})
   * and register the subscriptions again. Requests outstanding at the loss fail with
   * {@link ConnectionLostException}.
   */
  public ClientOptions reconnect(boolean reconnect) {
    this.reconnect = reconnect;
    return this;
  }

  public ClientOptions maxBackoff(Duration maxBackoff) {
    this.maxBackoff = positive(maxBackoff, "maxBackoff");
    return this;
  }

  /** The largest frame the client sends: the engine's {@code bridge.maxFrameBytes}, 1 MiB unless it says more. */
  public ClientOptions maxFrameBytes(int maxFrameBytes) {
    if (maxFrameBytes < 1) {
      throw new IllegalArgumentException("maxFrameBytes must be positive");
    }
    this.maxFrameBytes = maxFrameBytes;
    return this;
  }

  /** The largest frame the client accepts; a larger one ends the connection rather than filling memory. */
  public ClientOptions maxIncomingFrameBytes(int maxIncomingFrameBytes) {
    if (maxIncomingFrameBytes < 1) {
      throw new IllegalArgumentException("maxIncomingFrameBytes must be positive");
    }
    this.maxIncomingFrameBytes = maxIncomingFrameBytes;
    return this;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String token() {
    return token;
  }

  public ClientSSLOptions tls() {
    return tls;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration pingInterval() {
    return pingInterval;
  }

  public boolean reconnect() {
    return reconnect;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  public int maxIncomingFrameBytes() {
    return maxIncomingFrameBytes;
  }

  static Duration checkedTimeout(Duration timeout) {
    positive(timeout, "requestTimeout");
    if (timeout.compareTo(MAX_REQUEST_TIMEOUT) > 0) {
      throw new IllegalArgumentException("a request timeout is at most " + MAX_REQUEST_TIMEOUT.toMinutes()
          + " minutes (the bridge's limit), not " + timeout);
    }
    return timeout;
  }

  private static Duration positive(Duration value, String name) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, not " + value);
    }
    return value;
  }
}
