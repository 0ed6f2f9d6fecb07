package io.tradestore.bridge;

import io.vertx.core.json.JsonObject;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PushbackInputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A minimal client of the TCP event-bus bridge wire protocol, written from its specification (each frame is a
 * 4-byte big-endian length, then that many bytes of UTF-8 JSON), so the tests speak to the engine exactly as a
 * process in another language would. Public for the tests of other packages that drive the engine as a process
 * (the crash loop in {@code cli}).
 */
public final class BridgeClient implements AutoCloseable {
  private final Socket socket;
  private final PushbackInputStream unread;
  private final DataInputStream in;
  private final DataOutputStream out;
  private int readTimeoutMs = 10_000;

  public BridgeClient(String host, int port) throws IOException {
    this(new Socket(host, port));
  }

  /** Over a socket of the caller's: a TLS one, say. */
  public BridgeClient(Socket socket) throws IOException {
    this.socket = socket;
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(readTimeoutMs);
    unread = new PushbackInputStream(socket.getInputStream(), 1);
    in = new DataInputStream(unread);
    out = new DataOutputStream(socket.getOutputStream());
  }

  /** Bytes as they are, for frames the protocol does not allow. */
  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** A frame whose body is {@code body} as given, JSON or not. */
  void sendFrame(String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
    out.flush();
  }

  /**
   * Whether the engine closed the connection within {@code timeoutMs}, reading (and dropping) what frames arrive
   * before the end. A reset counts as closed too: the engine may close with the client's bytes still unread.
   */
  boolean closedWithin(long timeoutMs) throws IOException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      socket.setSoTimeout((int) Math.max(1, deadline - System.currentTimeMillis()));
      try {
        if (in.read() < 0) {
          return true;
        }
      } catch (java.net.SocketTimeoutException e) {
        return false;
      } catch (java.net.SocketException e) {
        return true;
      }
    }
    return false;
  }

  /** Whether a frame (at least its first byte) arrives within {@code timeoutMs}; it is left to {@link #receive()}. */
  boolean hasFrameWithin(long timeoutMs) throws IOException {
    if (unread.available() > 0) {
      return true;
    }
    socket.setSoTimeout((int) timeoutMs);
    try {
      int first = unread.read();
      if (first < 0) {
        return false;
      }
      unread.unread(first);
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } finally {
      socket.setSoTimeout(readTimeoutMs);
    }
  }

  /** One write per frame: a length and a body in two segments would wait on Nagle and the peer's delayed ACK. */
  public void send(JsonObject frame) throws IOException {
    byte[] bytes = frame.encode().getBytes(StandardCharsets.UTF_8);
    out.write(ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).array());
    out.flush();
  }

  public JsonObject receive() throws IOException {
    int length = in.readInt();
    byte[] bytes = in.readNBytes(length);
    if (bytes.length < length) {
      // the peer died mid-frame (a killed engine): a lost connection, not a frame to parse
      throw new EOFException("connection closed after " + bytes.length + " of a " + length + "-byte frame");
    }
    return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
  }

  /** How long {@link #receive} waits for a frame (10 s unless set; zero waits until a frame or {@link #close}). */
  public void readTimeout(Duration timeout) throws SocketException {
    readTimeoutMs = Math.toIntExact(timeout.toMillis());
    socket.setSoTimeout(readTimeoutMs);
  }

  /** A request: {@code send} with a reply address, answered by a {@code message} frame to that address. */
  public JsonObject request(String address, JsonObject body, String replyAddress) throws IOException {
    send(new JsonObject().put("type", "send").put("address", address).put("replyAddress", replyAddress).put("body", body));
    return receive();
  }

  /** A frame sent as it is, and the one frame that answers it. */
  JsonObject exchange(JsonObject frame) throws IOException {
    send(frame);
    return receive();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
