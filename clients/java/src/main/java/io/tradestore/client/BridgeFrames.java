package io.tradestore.client;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The TCP event-bus bridge's wire format, client side: each frame is a 4-byte big-endian length, then that many
 * bytes of UTF-8 JSON. Public so that other JVM code speaking the protocol (the benchmark's stand-in bridge) frames
 * it the same way.
 */
public final class BridgeFrames {
  private BridgeFrames() { }

  /** The engine's default {@code bridge.maxFrameBytes}: a frame announced larger is refused by the engine. */
  public static final int ENGINE_MAX_FRAME_BYTES = 1_048_576;

  /** One frame; refused when larger than {@code maxBytes}, before a byte is written. */
  public static Buffer encode(JsonObject frame, int maxBytes) {
    byte[] bytes = frame.encode().getBytes(StandardCharsets.UTF_8);
    if (bytes.length > maxBytes) {
      throw new IllegalArgumentException("a frame of " + bytes.length + " bytes exceeds the limit of " + maxBytes
          + " (the engine's bridge.maxFrameBytes)");
    }
    return Buffer.buffer(bytes.length + 4).appendInt(bytes.length).appendBytes(bytes);
  }

  public static Buffer encode(JsonObject frame) {
    return encode(frame, Integer.MAX_VALUE - 4);
  }

  /**
   * Splits a byte stream into frames. A frame announced larger than {@code maxBytes} goes to {@code onTooLarge}
   * with its size and ends the parse (the stream cannot be resynchronised after it), so a broken or hostile peer
   * cannot make the client buffer without bound.
   */
  public static RecordParser parser(int maxBytes, Consumer<JsonObject> onFrame, Consumer<Integer> onTooLarge) {
    RecordParser parser = RecordParser.newFixed(4);
    boolean[] header = {true};
    parser.handler(chunk -> {
      if (header[0]) {
        int length = chunk.getInt(0);
        if (length < 0 || length > maxBytes) {
          parser.handler(ignored -> { });
          onTooLarge.accept(length);
          return;
        }
        if (length == 0) {
          return; // an empty frame carries nothing; stay on the next header
        }
        parser.fixedSizeMode(length);
        header[0] = false;
        return;
      }
      parser.fixedSizeMode(4);
      header[0] = true;
      onFrame.accept(new JsonObject(chunk));
    });
    return parser;
  }
}
