package io.tradestore.bridge;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/**
 * The frames the engine writes, in the TCP bridge's wire format: a 4-byte big-endian length, then that many bytes
 * of UTF-8 JSON. Field names and the {@code err} messages of the bridge module are kept, so that clients written
 * for it (Vert.x's own among them) read the engine unchanged.
 */
final class Frames {
  private Frames() { }

  /** A message to a client: an answer to its request, or an event on an address it registered. */
  static Buffer message(String address, String replyAddress, JsonObject headers, boolean send, Object body) {
    JsonObject frame = new JsonObject().put("type", "message").put("address", address);
    if (replyAddress != null) {
      frame.put("replyAddress", replyAddress);
    }
    frame.put("headers", headers);
    if (body != null) {
      frame.put("body", body);
    }
    return encode(frame.put("send", send));
  }

  /** A request of the client's that failed: no handler, a timeout, or the handler's own coded failure. */
  static Buffer requestFailed(String address, String replyAddress, ReplyException failure) {
    return encode(new JsonObject()
        .put("type", "err")
        .put("address", replyAddress)
        .put("sourceAddress", address)
        .put("failureCode", failure.failureCode())
        .put("failureType", failure.failureType().name())
        .put("message", failure.getMessage()));
  }

  /**
   * A frame the bridge refused ({@code access_denied}, {@code invalid_frame}, ...). The refusals the bridge module
   * also makes are unaddressed, as it sends them; the engine's own name the client's reply address when the frame
   * had one, so that a client waiting on that request learns of the refusal at once.
   */
  static Buffer refused(BridgeRefusal reason, String replyAddress) {
    JsonObject frame = new JsonObject().put("type", "err");
    if (replyAddress != null && !reason.isTheModules()) {
      frame.put("address", replyAddress);
    }
    return encode(frame.put("message", reason.message()));
  }

  static Buffer pong() {
    return encode(new JsonObject().put("type", "pong"));
  }

  static Buffer encode(JsonObject frame) {
    byte[] bytes = frame.encode().getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer(bytes.length + 4).appendInt(bytes.length).appendBytes(bytes);
  }
}
