package io.tradestore.bridge;

import io.vertx.core.json.JsonObject;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
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
  private final DataInputStream in;
  private final DataOutputStream out;

  public BridgeClient(String host, int port) throws IOException {
    socket = new Socket(host, port);
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = new DataOutputStream(socket.getOutputStream());
  }

  public void send(JsonObject frame) throws IOException {
    byte[] bytes = frame.encode().getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
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
    socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
  }

  /** A request: {@code send} with a reply address, answered by a {@code message} frame to that address. */
  public JsonObject request(String address, JsonObject body, String replyAddress) throws IOException {
    send(new JsonObject().put("type", "send").put("address", address).put("replyAddress", replyAddress).put("body", body));
    return receive();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
