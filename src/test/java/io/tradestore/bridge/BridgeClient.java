package io.tradestore.bridge;

import io.vertx.core.json.JsonObject;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal client of the TCP event-bus bridge wire protocol, written from its specification (each frame is a
 * 4-byte big-endian length, then that many bytes of UTF-8 JSON), so the tests speak to the engine exactly as a
 * process in another language would.
 */
final class BridgeClient implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  BridgeClient(String host, int port) throws IOException {
    socket = new Socket(host, port);
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = new DataOutputStream(socket.getOutputStream());
  }

  void send(JsonObject frame) throws IOException {
    byte[] bytes = frame.encode().getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
    out.flush();
  }

  JsonObject receive() throws IOException {
    int length = in.readInt();
    byte[] bytes = in.readNBytes(length);
    return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
  }

  /** A request: {@code send} with a reply address, answered by a {@code message} frame to that address. */
  JsonObject request(String address, JsonObject body, String replyAddress) throws IOException {
    send(new JsonObject().put("type", "send").put("address", address).put("replyAddress", replyAddress).put("body", body));
    return receive();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
