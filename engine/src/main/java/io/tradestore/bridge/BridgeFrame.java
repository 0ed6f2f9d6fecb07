package io.tradestore.bridge;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * A frame a client sent, checked for shape before anything acts on it: a known {@code type}, an address (but for
 * {@code ping}), text where text belongs, and {@code headers} an object whose values are text but for the
 * bridge's own {@code timeout} (a number of milliseconds) and {@code localOnly} (a boolean); {@code token}, the
 * client's access token, is kept apart from the headers passed on. A frame of the wrong
 * shape is refused as a whole ({@link Invalid}), never half carried out.
 */
record BridgeFrame(Type type, String address, String replyAddress, Object body, DeliveryOptions deliveryOptions,
                   Integer failureCode, String failureMessage, String token) {

  enum Type { SEND, PUBLISH, REGISTER, UNREGISTER, PING }

  /** Why a frame was refused, with the reply address to answer when the frame named one. */
  static final class Invalid extends Exception {
    private final BridgeRefusal reason;
    private final String replyAddress;

    Invalid(String message, String replyAddress) {
      this(BridgeRefusal.INVALID_FRAME, message, replyAddress);
    }

    Invalid(BridgeRefusal reason, String message, String replyAddress) {
      super(message, null, false, false);
      this.reason = reason;
      this.replyAddress = replyAddress;
    }

    BridgeRefusal reason() {
      return reason;
    }

    String replyAddress() {
      return replyAddress;
    }
  }

  static BridgeFrame of(JsonObject frame) throws Invalid {
    Object rawReply = frame.getValue("replyAddress");
    String replyAddress = rawReply instanceof String s ? s : null;
    if (rawReply != null && replyAddress == null) {
      throw new Invalid("replyAddress must be a string", null);
    }
    Type type = type(frame.getValue("type"), replyAddress);
    Object rawAddress = frame.getValue("address");
    if (rawAddress != null && !(rawAddress instanceof String)) {
      throw new Invalid("address must be a string", replyAddress);
    }
    String address = (String) rawAddress;
    if (type != Type.PING && (address == null || address.isEmpty())) {
      // the bridge module's answer to it
      throw new Invalid(BridgeRefusal.MISSING_ADDRESS, "missing address", replyAddress);
    }
    Object rawCode = frame.getValue("failureCode");
    if (rawCode != null && !(rawCode instanceof Integer)) {
      throw new Invalid("failureCode must be an integer", replyAddress);
    }
    Object rawMessage = frame.getValue("message");
    if (rawMessage != null && !(rawMessage instanceof String)) {
      throw new Invalid("message must be a string", replyAddress);
    }
    Object headers = frame.getValue("headers");
    return new BridgeFrame(type, address, replyAddress, frame.getValue("body"), deliveryOptions(headers, replyAddress),
        (Integer) rawCode, (String) rawMessage, headers instanceof JsonObject h ? h.getString(BridgeAccess.TOKEN_HEADER) : null);
  }

  /** A received message's headers as the JSON object a frame carries. */
  static JsonObject headersOf(Message<?> message) {
    JsonObject headers = new JsonObject();
    for (Map.Entry<String, String> header : message.headers()) {
      headers.put(header.getKey(), header.getValue());
    }
    return headers;
  }

  private static Type type(Object raw, String replyAddress) throws Invalid {
    if (!(raw instanceof String name)) {
      throw new Invalid(BridgeRefusal.UNKNOWN_TYPE, "unknown type", replyAddress);
    }
    return switch (name) {
      case "send" -> Type.SEND;
      case "publish" -> Type.PUBLISH;
      case "register" -> Type.REGISTER;
      case "unregister" -> Type.UNREGISTER;
      case "ping" -> Type.PING;
      default -> throw new Invalid(BridgeRefusal.UNKNOWN_TYPE, "unknown type", replyAddress);
    };
  }

  private static DeliveryOptions deliveryOptions(Object raw, String replyAddress) throws Invalid {
    DeliveryOptions options = new DeliveryOptions();
    if (raw == null) {
      return options;
    }
    if (!(raw instanceof JsonObject headers)) {
      throw new Invalid("headers must be an object", replyAddress);
    }
    for (Map.Entry<String, Object> header : headers) {
      String name = header.getKey();
      Object value = header.getValue();
      switch (name) {
        case "timeout" -> {
          if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1
              || ((Number) value).longValue() > BridgeConnection.MAX_REQUEST_TIMEOUT_MS) {
            throw new Invalid("headers.timeout must be a whole number of milliseconds from 1 to "
                + BridgeConnection.MAX_REQUEST_TIMEOUT_MS, replyAddress);
          }
          options.setSendTimeout(((Number) value).longValue());
        }
        case "localOnly" -> {
          if (!(value instanceof Boolean local)) {
            throw new Invalid("headers.localOnly must be a boolean", replyAddress);
          }
          options.setLocalOnly(local);
        }
        // a client choosing the codec would pick how the engine decodes its bytes: the bridge carries JSON only
        case "codecName" -> throw new Invalid("headers.codecName is not accepted", replyAddress);
        case BridgeAccess.TOKEN_HEADER -> { // the client's credential: checked by the bridge, never passed on
          if (!(value instanceof String)) {
            throw new Invalid("headers.token must be a string", replyAddress);
          }
        }
        default -> {
          if (!(value instanceof String text)) {
            throw new Invalid("headers." + name + " must be a string", replyAddress);
          }
          options.addHeader(name, text);
        }
      }
    }
    return options;
  }
}
