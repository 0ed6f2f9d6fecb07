package io.tradestore.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** One client connection of a load driver. Used only from the context that opened it. */
interface Transport {
  /** Sends a request; {@code done} gets null on success, else the failure's message. */
  void request(String address, JsonObject body, Consumer<String> done);

  Future<Void> close();

  /** In-process: the Vert.x event bus of the engine itself (one "connection" = one sending context). */
  static Transport eventBus(Vertx vertx) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(REPLY_TIMEOUT_MS);
    return new Transport() {
      @Override
      public void request(String address, JsonObject body, Consumer<String> done) {
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
    return bridge(vertx, host, port, REPLY_TIMEOUT_MS);
  }

  static Future<Transport> bridge(Vertx vertx, String host, int port, long replyTimeoutMs) {
    NetClient client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    return client.connect(port, host).map(socket -> new Bridge(vertx, client, socket, replyTimeoutMs));
  }

  /** Splits a byte stream into the bridge's frames (4-byte big-endian length, then that many bytes of JSON). */
  static RecordParser frameParser(Consumer<JsonObject> onFrame) {
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
      onFrame.accept(new JsonObject(chunk));
    });
    return parser;
  }

  /** One frame of the bridge's wire protocol. */
  static Buffer frame(JsonObject json) {
    byte[] bytes = json.encode().getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer(bytes.length + 4).appendInt(bytes.length).appendBytes(bytes);
  }

  /**
   * A request unanswered this long counts as failed, on either transport; well inside the minute the driver waits
   * for a run's last replies, so a lost reply is an error in the report, not a run that never ends.
   */
  long REPLY_TIMEOUT_MS = 30_000;

  final class Bridge implements Transport {
    private record Waiting(Consumer<String> done, long sentNanos) { }

    private final Vertx vertx;
    /**
     * Held for as long as the connection: Vert.x closes a NetClient that nobody references any more (30 s after the
     * collector finds it) and its connections with it. Dropped, it cost the bench whole connections at random: a
     * connection that was never answered, or a run that never ended.
     */
    private final NetClient client;
    private final NetSocket socket;
    // in sending order (sequence numbers only grow), so the sweep stops at the first request still in time
    private final LinkedHashMap<String, Waiting> pending = new LinkedHashMap<>();
    private final long replyTimeoutNanos;
    private final long sweeper;
    private final long openedNanos = System.nanoTime();
    private long sequence;
    private long replies;
    private long bytesReceived;
    private long timedOut;
    private long lastReplyNanos;

    /**
     * A reply that never comes (an {@code err} frame without an address cannot be matched; a connection that
     * drops one) would otherwise hold its slot, and the run, forever: a sweep once a second fails every request
     * older than the timeout. A sweep rather than a timer per request, which would cost the transport ceiling.
     */
    Bridge(Vertx vertx, NetClient client, NetSocket socket, long replyTimeoutMs) {
      this.vertx = vertx;
      this.client = client;
      this.socket = socket;
      this.replyTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(replyTimeoutMs);
      this.sweeper = vertx.setPeriodic(Math.max(1, Math.min(1000, replyTimeoutMs / 2)), id -> failOverdue());
      RecordParser parser = frameParser(frame -> {
        try {
          answered(frame);
        } catch (RuntimeException e) {
          // the parser must go on with the next frame; the request of this one times out as an error
          System.err.println("bench driver: a frame from the bridge could not be handled: " + e);
          e.printStackTrace();
        }
      });
      socket.handler(bytes -> {
        bytesReceived += bytes.length();
        parser.handle(bytes);
      });
      socket.exceptionHandler(e -> System.err.println("bench driver: bridge connection error: " + e));
      socket.closeHandler(v -> failAll("the bridge closed the connection"));
    }

    /** The sweep goes on: a request sent after the close (a closed loop sends again) times out like any other. */
    private void failAll(String why) {
      var waiting = new ArrayList<>(pending.values());
      pending.clear();
      waiting.forEach(w -> w.done().accept(why));
    }

    private void answered(JsonObject frame) {
      String address = frame.getString("address");
      Waiting waiting = address == null ? null : pending.remove(address);
      replies++;
      lastReplyNanos = System.nanoTime();
      if (waiting == null) {
        return; // an err frame without address (access_denied) cannot be matched: it times out as a failure
      }
      waiting.done().accept("message".equals(frame.getString("type")) ? null
          : frame.getValue("failureCode") + " " + frame.getString("message"));
    }

    private void failOverdue() {
      long now = System.nanoTime();
      // taken out first: failing one lets its slot send again, which adds to the map being walked
      List<Waiting> overdue = new ArrayList<>();
      for (var oldest = pending.values().iterator(); oldest.hasNext(); ) {
        Waiting waiting = oldest.next();
        if (now - waiting.sentNanos() < replyTimeoutNanos) {
          break;
        }
        oldest.remove();
        overdue.add(waiting);
      }
      timedOut += overdue.size();
      overdue.forEach(w -> w.done().accept("no reply within " + replyTimeoutNanos / 1_000_000 + " ms"));
    }

    @Override
    public void request(String address, JsonObject body, Consumer<String> done) {
      String replyAddress = "r." + (++sequence);
      pending.put(replyAddress, new Waiting(done, System.nanoTime()));
      socket.write(frame(new JsonObject().put("type", "send").put("address", address).put("replyAddress", replyAddress)
          .put("body", body)));
    }

    @Override
    public Future<Void> close() {
      vertx.cancelTimer(sweeper);
      socket.closeHandler(null);
      if (timedOut > 0) {
        // whether the connection was never answered, or stopped being answered, and when
        System.err.printf("bench driver: bridge connection %s: %d requests sent, %d bytes and %d frames received (the "
                + "last frame %s), %d requests timed out%n", socket.localAddress(), sequence, bytesReceived, replies,
            replies == 0 ? "never" : String.format("%.1f s after it opened", (lastReplyNanos - openedNanos) / 1e9), timedOut);
      }
      return socket.close().eventually(() -> client.close());
    }
  }
}
