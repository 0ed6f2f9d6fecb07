package io.tradestore.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** One client connection of a load driver. Used only from the context that opened it. */
interface Transport {
  /** Sends a request; {@code done} gets null on success, else the failure's message. */
  void request(String address, JsonObject body, java.util.function.Consumer<String> done);

  Future<Void> close();

  /** In-process: the Vert.x event bus of the engine itself (one "connection" = one sending context). */
  static Transport eventBus(Vertx vertx) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(60_000);
    return new Transport() {
      @Override
      public void request(String address, JsonObject body, java.util.function.Consumer<String> done) {
        vertx.eventBus().request(address, body, options).onComplete(r -> done.accept(r.succeeded() ? null : String.valueOf(r.cause().getMessage())));
      }

      @Override
      public Future<Void> close() {
        return Future.succeededFuture();
      }
    };
  }

  /**
   * The TCP event-bus bridge wire protocol (4-byte big-endian length + UTF-8 JSON), as a process in another
   * language would speak it: {@code send} with a unique {@code replyAddress}, answered by a {@code message} or
   * {@code err} frame to that address. Requests are pipelined on one socket.
   */
  static Future<Transport> bridge(Vertx vertx, String host, int port) {
    return vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true)).connect(port, host).map(Bridge::new);
  }

  final class Bridge implements Transport {
    private final NetSocket socket;
    private final Map<String, java.util.function.Consumer<String>> pending = new HashMap<>();
    private long sequence;

    Bridge(NetSocket socket) {
      this.socket = socket;
      RecordParser parser = RecordParser.newFixed(4);
      boolean[] header = {true};
      parser.handler(chunk -> {
        if (header[0]) {
          parser.fixedSizeMode(chunk.getInt(0));
          header[0] = false;
          return;
        }
        parser.fixedSizeMode(4);
        header[0] = true;
        frame(new JsonObject(chunk));
      });
      socket.handler(parser);
    }

    private void frame(JsonObject frame) {
      String address = frame.getString("address");
      java.util.function.Consumer<String> done = address == null ? null : pending.remove(address);
      if (done == null) {
        return; // an err frame without address (access_denied) cannot be matched: it times out as a failure
      }
      done.accept("message".equals(frame.getString("type")) ? null
          : frame.getValue("failureCode") + " " + frame.getString("message"));
    }

    @Override
    public void request(String address, JsonObject body, java.util.function.Consumer<String> done) {
      String replyAddress = "r." + (++sequence);
      pending.put(replyAddress, done);
      byte[] bytes = new JsonObject().put("type", "send").put("address", address).put("replyAddress", replyAddress)
          .put("body", body).encode().getBytes(StandardCharsets.UTF_8);
      socket.write(Buffer.buffer(bytes.length + 4).appendInt(bytes.length).appendBytes(bytes));
    }

    @Override
    public Future<Void> close() {
      return socket.close();
    }
  }
}
