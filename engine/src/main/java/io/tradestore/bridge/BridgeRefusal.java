package io.tradestore.bridge;

import java.util.Locale;

/**
 * Why the bridge refused a frame or a connection. The wire message is the lower-case name, as the bridge
 * module's own ({@code access_denied}, {@code missing_address}, {@code unknown_type}, {@code unknown_address});
 * {@link #closes} says whether the connection is closed after the {@code err} frame, {@link #isTheModules} whether
 * the bridge module refuses it too (and so how the {@code err} frame is written: {@link Frames#refused}).
 */
enum BridgeRefusal {
  /** The address is not permitted for this kind of frame. */
  ACCESS_DENIED(false, true),
  /** A frame other than {@code ping} without an address. */
  MISSING_ADDRESS(false, true),
  /** {@code type} is not one of send, publish, register, unregister, ping. */
  UNKNOWN_TYPE(false, true),
  /** {@code unregister} of an address this connection had not registered. */
  UNKNOWN_ADDRESS(false, true),
  /** Access tokens are on and the frame carries none, or one the engine does not know. */
  UNAUTHORIZED(false, false),
  /** The frame's bytes are not a JSON object. */
  INVALID_JSON(false, false),
  /** A JSON object of the wrong shape: a field of the wrong type, headers not an object of strings. */
  INVALID_FRAME(false, false),
  /** The length prefix announces more than {@code bridge.maxFrameBytes}, or less than one byte. */
  FRAME_TOO_LARGE(true, false),
  /** A frame begun was not whole within {@code bridge.frameTimeoutMs}. */
  FRAME_TIMEOUT(true, false),
  /** {@code register} beyond the addresses one connection may listen on at once. */
  TOO_MANY_REGISTRATIONS(false, false),
  /** {@code bridge.maxConnections} connections are open already. */
  TOO_MANY_CONNECTIONS(true, false),
  /** The client left more than {@code bridge.maxOutputBytes} written to it unread. */
  OUTPUT_OVERFLOW(true, false);

  private final boolean closes;
  private final boolean modules;

  BridgeRefusal(boolean closes, boolean modules) {
    this.closes = closes;
    this.modules = modules;
  }

  String message() {
    return name().toLowerCase(Locale.ROOT);
  }

  boolean closes() {
    return closes;
  }

  boolean isTheModules() {
    return modules;
  }
}
