package io.tradestore.bridge;

import io.tradestore.config.EngineConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One client's connection: its frames turned into event-bus sends, publications and registrations under the
 * bridge's permissions, the answers written back, and the flow control that keeps what the client can make the
 * engine hold bounded. The socket is not read while the connection has {@code maxPipelined} requests awaiting
 * replies, while all connections together have {@code maxInFlight}, or while the client is not reading what is
 * written to it; a client that leaves more than {@code maxOutputBytes} unread is disconnected. Confined to the
 * bridge's event loop.
 */
final class BridgeConnection {
  /** Addresses one connection may listen on at once. */
  static final int MAX_REGISTRATIONS = 1024;
  /** Messages received on a registration whose sender awaits the client's reply, remembered at most (oldest dropped). */
  static final int MAX_AWAITED_REPLIES = 1024;
  /** The longest a client may ask a request to wait for its reply ({@code headers.timeout}). */
  static final long MAX_REQUEST_TIMEOUT_MS = 300_000;

  private final NetSocket socket;
  private final EventBus bus;
  private final BridgeAccess.Session access;
  private final InFlightBudget budget;
  private final EngineConfig.BridgeLimits limits;
  private final BridgeMetrics metrics;
  private final FrameReader reader;
  private final Map<String, MessageConsumer<Object>> registrations = new HashMap<>();
  private final Map<String, Message<Object>> awaitingReply = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Message<Object>> eldest) {
      return size() > MAX_AWAITED_REPLIES;
    }
  };
  private int pipelined;
  private long unreadOutputBytes;
  private boolean outputBlocked;
  private boolean waitingForBudget;
  private boolean paused;
  private boolean closed;

  BridgeConnection(NetSocket socket, EventBus bus, BridgeAccess access, InFlightBudget budget,
                   EngineConfig.BridgeLimits limits, BridgeMetrics metrics) {
    this.socket = socket;
    this.bus = bus;
    this.access = access.session();
    this.budget = budget;
    this.limits = limits;
    this.metrics = metrics;
    this.reader = new FrameReader(socket, limits.maxFrameBytes(), this::onFrame,
        length -> refuse(BridgeRefusal.FRAME_TOO_LARGE, null, "announced " + length + " bytes"));
  }

  /** The socket closed, from either side: let go of everything this client held. */
  void closed() {
    closed = true;
    reader.stop();
    budget.forget(this);
    registrations.values().forEach(MessageConsumer::unregister);
    registrations.clear();
    awaitingReply.clear();
  }

  /** Closes the connection when a frame has been begun and not finished for longer than the limit. */
  void checkFrameDeadline(long nowNanos) {
    long since = reader.partialSinceNanos();
    if (!paused && !closed && since != 0 && nowNanos - since > limits.frameTimeoutMs() * 1_000_000L) {
      refuse(BridgeRefusal.FRAME_TIMEOUT, null, "a frame unfinished after " + limits.frameTimeoutMs() + " ms");
    }
  }

  /** Refuses a connection beyond {@code maxConnections} before it sends anything. */
  void refuseConnection() {
    refuse(BridgeRefusal.TOO_MANY_CONNECTIONS, null, limits.maxConnections() + " open");
  }

  void budgetAvailable() {
    waitingForBudget = false;
    updateReading();
  }

  private void onFrame(Buffer bytes) {
    JsonObject frame;
    try {
      frame = new JsonObject(bytes);
    } catch (DecodeException | ClassCastException e) { // ClassCastException: valid JSON, but not an object
      refuse(BridgeRefusal.INVALID_JSON, null, "a frame that is not a JSON object");
      return;
    }
    BridgeFrame parsed;
    try {
      parsed = BridgeFrame.of(frame);
    } catch (BridgeFrame.Invalid e) {
      refuse(e.reason(), e.replyAddress(), e.getMessage());
      return;
    }
    try {
      dispatch(parsed);
    } catch (IllegalArgumentException | IllegalStateException e) { // e.g. a body the event bus has no codec for
      refuse(BridgeRefusal.INVALID_FRAME, parsed.replyAddress(), "the event bus refused it: " + e.getMessage());
    }
  }

  private void dispatch(BridgeFrame frame) {
    if (frame.type() == BridgeFrame.Type.PING) {
      write(Frames.pong());
      return;
    }
    AddressPermissions permissions = access.permissionsFor(frame.token());
    if (permissions == null) {
      refuse(BridgeRefusal.UNAUTHORIZED, frame.replyAddress(), frame.token() == null ? "no token" : "an unknown token");
      return;
    }
    String address = frame.address();
    switch (frame.type()) {
      case SEND -> send(frame, address, permissions);
      case PUBLISH -> {
        if (!permissions.mayPublish(address)) {
          refuse(BridgeRefusal.ACCESS_DENIED, null, "publish to " + address);
          return;
        }
        bus.publish(address, frame.body(), frame.deliveryOptions());
      }
      case REGISTER -> register(address, permissions);
      case UNREGISTER -> {
        if (!permissions.mayRegister(address)) {
          refuse(BridgeRefusal.ACCESS_DENIED, null, "unregister from " + address);
          return;
        }
        MessageConsumer<Object> consumer = registrations.remove(address);
        if (consumer == null) {
          refuse(BridgeRefusal.UNKNOWN_ADDRESS, null, "unregister from " + address);
        } else {
          consumer.unregister();
        }
      }
      default -> throw new IllegalStateException("unhandled frame type " + frame.type());
    }
  }

  /**
   * A send is a request when it names a reply address, the client's answer when it goes to a message the client
   * received awaiting one, and otherwise a one-way send. One-way sends go out as requests whose answer is dropped,
   * so that they too count against the limits until their handler is done with them.
   */
  private void send(BridgeFrame frame, String address, AddressPermissions permissions) {
    Message<Object> awaited = awaitingReply.remove(address);
    if (awaited != null && frame.replyAddress() == null) {
      if (frame.failureCode() == null) {
        awaited.reply(frame.body(), frame.deliveryOptions());
      } else {
        awaited.fail(frame.failureCode(), frame.failureMessage());
      }
      return;
    }
    if (awaited == null && !permissions.maySend(address)) {
      refuse(BridgeRefusal.ACCESS_DENIED, frame.replyAddress(), "send to " + address);
      return;
    }
    String replyAddress = frame.replyAddress();
    pipelined++;
    budget.take();
    updateReading();
    bus.request(address, frame.body(), frame.deliveryOptions()).onComplete(answer -> {
      pipelined--;
      budget.giveBack();
      if (closed) {
        return;
      }
      if (replyAddress != null) {
        if (answer.succeeded()) {
          Message<Object> reply = answer.result();
          if (reply.replyAddress() != null) {
            awaitingReply.put(reply.replyAddress(), reply);
          }
          write(Frames.message(replyAddress, reply.replyAddress(), BridgeFrame.headersOf(reply), true, reply.body()));
        } else {
          write(Frames.requestFailed(address, replyAddress, asReplyException(answer.cause())));
        }
      }
      updateReading();
    });
  }

  private void register(String address, AddressPermissions permissions) {
    if (!permissions.mayRegister(address)) {
      refuse(BridgeRefusal.ACCESS_DENIED, null, "register on " + address);
      return;
    }
    if (registrations.containsKey(address)) {
      return; // registered already: a second consumer would deliver every message twice
    }
    if (registrations.size() >= MAX_REGISTRATIONS) {
      refuse(BridgeRefusal.TOO_MANY_REGISTRATIONS, null, MAX_REGISTRATIONS + " addresses registered");
      return;
    }
    registrations.put(address, bus.consumer(address, message -> {
      if (closed) {
        return;
      }
      if (message.replyAddress() != null) {
        awaitingReply.put(message.replyAddress(), message);
      }
      write(Frames.message(message.address(), message.replyAddress(), BridgeFrame.headersOf(message), message.isSend(),
          message.body()));
    }));
  }

  private void write(Buffer frame) {
    if (closed) {
      return;
    }
    int length = frame.length();
    unreadOutputBytes += length;
    if (unreadOutputBytes > limits.maxOutputBytes()) {
      refuse(BridgeRefusal.OUTPUT_OVERFLOW, null, unreadOutputBytes + " bytes written and not read");
      return;
    }
    socket.write(frame).onComplete(done -> unreadOutputBytes -= length);
    if (!outputBlocked && socket.writeQueueFull()) {
      outputBlocked = true;
      socket.drainHandler(v -> {
        outputBlocked = false;
        updateReading();
      });
      updateReading();
    }
  }

  /**
   * Reads the socket when every limit allows it, and stops reading it when one does not. A connection that found
   * the shared budget spent reads again only when the budget wakes it, in turn: were its own replies to let it
   * read, the busiest connections would take every freed slot and a quiet one (an operator's) would wait for ever.
   */
  private void updateReading() {
    if (closed) {
      return;
    }
    if (!waitingForBudget && budget.spent()) {
      waitingForBudget = true;
      budget.await(this);
    }
    boolean mayRead = pipelined < limits.maxPipelined() && !waitingForBudget && !outputBlocked;
    if (mayRead && paused) {
      paused = false;
      reader.resume();
    } else if (!mayRead && !paused) {
      paused = true;
      metrics.paused();
      reader.pause();
    }
  }

  /**
   * Answers a frame the bridge will not carry with an {@code err} frame, and closes the connection when the
   * refusal is of the kind that does (the stream can no longer be trusted, or the client holds too much).
   */
  private void refuse(BridgeRefusal reason, String replyAddress, String detail) {
    if (closed) {
      return;
    }
    metrics.refused(reason, socket.remoteAddress(), detail);
    if (reason.closes()) {
      reader.stop();
      closed = true;
      socket.write(Frames.refused(reason, replyAddress));
      socket.close();
      return;
    }
    write(Frames.refused(reason, replyAddress));
  }

  private static ReplyException asReplyException(Throwable failure) {
    return failure instanceof ReplyException reply ? reply
        : new ReplyException(ReplyFailure.ERROR, -1, String.valueOf(failure.getMessage()));
  }
}
