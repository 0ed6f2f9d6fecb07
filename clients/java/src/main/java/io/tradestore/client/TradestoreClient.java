package io.tradestore.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One connection to the engine's TCP event-bus bridge, shared safely by any number of threads.
 *
 * <p>Replies complete the {@link CompletableFuture} of their request on the connection's event-loop thread: chain
 * blocking work with the {@code ...Async} methods, or {@code join()} from a thread of your own. Subscribers' handlers
 * run on one thread of the client's, in arrival order, so a slow handler never delays a reply. Requests outstanding
 * when the connection is lost fail with {@link ConnectionLostException}; with {@link ClientOptions#reconnect(boolean)}
 * the client connects again and registers its subscriptions again, and a request made meanwhile fails at once with
 * the same exception (resend it: the engine answers a committed one with {@code "duplicate": true}).
 */
public final class TradestoreClient implements AutoCloseable {
  /** Past this many events waiting for the handlers the socket is paused, so a slow handler cannot fill memory. */
  private static final int EVENTS_HIGH_WATER = 10_000;
  private static final long FIRST_BACKOFF_MS = 50;

  private record Waiting(CompletableFuture<JsonObject> reply, String address, long deadlineNanos, long timeoutMs) { }

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final ClientOptions options;
  // held for as long as the client: Vert.x closes a NetClient nobody references any more, and its connections
  private final NetClient netClient;
  private final String replyPrefix = "tradestore-java." + UUID.randomUUID() + ".";
  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, Waiting> pending = new ConcurrentHashMap<>();
  private final Map<String, List<Subscription>> subscriptions = new ConcurrentHashMap<>();
  private final AtomicInteger eventsWaiting = new AtomicInteger();
  private final AtomicInteger reconnects = new AtomicInteger();
  private final long sweeper;
  private final long pinger;
  private volatile ExecutorService eventThread;
  private volatile NetSocket socket;
  private volatile boolean closed;
  private volatile boolean paused;
  private volatile Consumer<TradestoreException> onUnansweredError =
      error -> System.err.println("tradestore client: an err frame no request waits on: " + error.getMessage());

  private TradestoreClient(Vertx vertx, boolean ownsVertx, ClientOptions options) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.options = options;
    this.netClient = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true)
        .setConnectTimeout(Math.toIntExact(options.connectTimeout().toMillis())));
    this.sweeper = vertx.setPeriodic(100, id -> failOverdue());
    this.pinger = options.pingInterval() == null ? -1
        : vertx.setPeriodic(options.pingInterval().toMillis(), id -> pingIfConnected());
  }

  /** Connects on a Vert.x instance of the client's own, closed with the client. */
  public static CompletableFuture<TradestoreClient> connect(ClientOptions options) {
    return connect(Vertx.vertx(), true, options);
  }

  /**
   * Connects on the caller's Vert.x instance (left open by {@link #close()}). Called on a Vert.x context, replies
   * complete on that context.
   */
  public static CompletableFuture<TradestoreClient> connect(Vertx vertx, ClientOptions options) {
    return connect(vertx, false, options);
  }

  private static CompletableFuture<TradestoreClient> connect(Vertx vertx, boolean ownsVertx, ClientOptions options) {
    TradestoreClient client = new TradestoreClient(vertx, ownsVertx, options);
    CompletableFuture<TradestoreClient> connected = new CompletableFuture<>();
    client.open().onSuccess(socket -> {
      client.attach(socket);
      connected.complete(client);
    }).onFailure(e -> {
      client.close();
      connected.completeExceptionally(new ConnectionLostException(null,
          "cannot connect to " + options.host() + ":" + options.port() + ": " + e.getMessage()));
    });
    return connected;
  }

  // --- the wire -----------------------------------------------------------------------------------------------

  /** Sends {@code body} to {@code address}; the reply body, or a {@link TradestoreException}. */
  public CompletableFuture<JsonObject> request(String address, JsonObject body) {
    return request(address, body, options.requestTimeout(), Map.of());
  }

  public CompletableFuture<JsonObject> request(String address, JsonObject body, Duration timeout) {
    return request(address, body, timeout, Map.of());
  }

  /**
   * A request with headers of the caller's beside the token and timeout. The engine answers {@code TIMEOUT} itself
   * when {@code timeout} passes; the client fails the request a little later if even that answer does not come.
   */
  public CompletableFuture<JsonObject> request(String address, JsonObject body, Duration timeout,
                                               Map<String, String> headers) {
    CompletableFuture<JsonObject> reply = new CompletableFuture<>();
    long timeoutMs;
    Buffer frame;
    String replyAddress = replyPrefix + sequence.incrementAndGet();
    try {
      timeoutMs = ClientOptions.checkedTimeout(timeout).toMillis();
      frame = encode(new JsonObject().put("type", "send").put("address", address).put("replyAddress", replyAddress)
          .put("headers", headers(headers).put("timeout", timeoutMs)).put("body", body == null ? new JsonObject() : body));
    } catch (IllegalArgumentException e) {
      reply.completeExceptionally(e);
      return reply;
    }
    long margin = Math.min(1_000, timeoutMs);
    pending.put(replyAddress, new Waiting(reply, address, System.nanoTime() + (timeoutMs + margin) * 1_000_000, timeoutMs));
    NetSocket current = socket;
    if (current == null) {
      pending.remove(replyAddress);
      reply.completeExceptionally(notConnected(address));
      return reply;
    }
    current.write(frame).onFailure(e -> {
      Waiting waiting = pending.remove(replyAddress);
      if (waiting != null) {
        waiting.reply().completeExceptionally(new ConnectionLostException(address, "sending failed: " + e.getMessage()
            + "; the outcome is unknown, resend with the same ids"));
      }
    });
    return reply;
  }

  /** A one-way send: no reply is waited for (a refusal goes to {@link #onUnansweredError(Consumer)}). */
  public void send(String address, JsonObject body) {
    write(address, new JsonObject().put("type", "send").put("address", address).put("headers", headers(Map.of()))
        .put("body", body == null ? new JsonObject() : body));
  }

  public void publish(String address, JsonObject body) {
    write(address, new JsonObject().put("type", "publish").put("address", address).put("headers", headers(Map.of()))
        .put("body", body == null ? new JsonObject() : body));
  }

  /**
   * Calls {@code handler} for every message on {@code address}, on the client's event thread, in arrival order. A
   * handler that throws is reported on standard error and the others still run.
   */
  public Subscription subscribe(String address, Consumer<Event> handler) {
    Subscription subscription = new Subscription(this, address, handler);
    boolean first;
    synchronized (subscriptions) {
      List<Subscription> handlers = subscriptions.computeIfAbsent(address, a -> new ArrayList<>());
      first = handlers.isEmpty();
      handlers.add(subscription);
    }
    if (first) {
      writeIfConnected(registration("register", address)); // while reconnecting, the reconnect registers it
    }
    return subscription;
  }

  /** The messages of {@code address} as a blocking iterator, at most {@code capacity} waiting; close it when done. */
  public EventStream events(String address, int capacity) {
    return new EventStream(this, address, capacity);
  }

  /** A keep-alive ping; the engine answers {@code pong}. Throws {@link ConnectionLostException} when down. */
  public void ping() {
    write(null, new JsonObject().put("type", "ping"));
  }

  /** Where a refusal no request waits on goes (the bridge's {@code access_denied} for a send or a register). */
  public TradestoreClient onUnansweredError(Consumer<TradestoreException> handler) {
    this.onUnansweredError = handler;
    return this;
  }

  /** The typed commands of docs/api.md over this connection. */
  public Trading trading() {
    return new Trading(this);
  }

  public boolean isConnected() {
    return socket != null && !closed;
  }

  /** How many times the client connected again after a lost connection. */
  public int reconnects() {
    return reconnects.get();
  }

  public ClientOptions options() {
    return options;
  }

  /** Closes the connection (outstanding requests fail with {@link ConnectionLostException}); safe to call twice. */
  public CompletableFuture<Void> closeAsync() {
    closed = true;
    vertx.cancelTimer(sweeper);
    if (pinger >= 0) {
      vertx.cancelTimer(pinger);
    }
    NetSocket current = socket;
    socket = null;
    Future<Void> socketClosed = current == null ? Future.succeededFuture() : current.close();
    failPending("the client was closed");
    ExecutorService events = eventThread;
    if (events != null) {
      events.shutdown();
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    socketClosed.eventually(netClient::close).onComplete(r -> {
      if (ownsVertx) {
        // completed by the closing instance itself, not through a callback on one of its (closed) contexts
        vertx.close().toCompletionStage().whenComplete((v, e) -> done.complete(null));
      } else {
        done.complete(null);
      }
    });
    return done;
  }

  @Override
  public void close() {
    closeAsync().join();
  }

  // --- inside -------------------------------------------------------------------------------------------------

  private Future<NetSocket> open() {
    ConnectOptions connect = new ConnectOptions().setHost(options.host()).setPort(options.port())
        .setTimeout(Math.toIntExact(options.connectTimeout().toMillis()));
    if (options.tls() != null) {
      connect.setSsl(true).setSslOptions(options.tls());
    }
    return netClient.connect(connect);
  }

  private void attach(NetSocket opened) {
    String[] cause = {"the engine closed the connection"};
    opened.handler(BridgeFrames.parser(options.maxIncomingFrameBytes(), this::onFrame, size -> {
      cause[0] = "the engine announced a frame of " + size + " bytes, over the client's limit of "
          + options.maxIncomingFrameBytes();
      opened.close();
    }));
    opened.exceptionHandler(e -> cause[0] = String.valueOf(e.getMessage()));
    opened.closeHandler(v -> lost(opened, cause[0]));
    if (closed) {
      opened.close();
      return;
    }
    socket = opened;
  }

  private void onFrame(JsonObject frame) {
    String type = frame.getString("type");
    if ("pong".equals(type)) {
      return;
    }
    String address = frame.getString("address");
    Waiting waiting = address == null ? null : pending.remove(address);
    if (waiting != null) {
      if ("err".equals(type)) {
        waiting.reply().completeExceptionally(TradestoreException.fromErrFrame(frame, waiting.address()));
      } else {
        waiting.reply().complete(body(frame));
      }
    } else if ("message".equals(type) && subscriptions.containsKey(address)) {
      deliver(new Event(address, body(frame), frame.getJsonObject("headers", new JsonObject())));
    } else if ("err".equals(type)) {
      onUnansweredError.accept(TradestoreException.fromErrFrame(frame, address));
    }
  }

  private static JsonObject body(JsonObject frame) {
    Object body = frame.getValue("body");
    return body instanceof JsonObject object ? object : new JsonObject().put("value", body);
  }

  private void deliver(Event event) {
    if (eventsWaiting.incrementAndGet() >= EVENTS_HIGH_WATER) {
      NetSocket current = socket;
      if (current != null && !paused) {
        paused = true;
        current.pause();
      }
    }
    eventThread().execute(() -> {
      List<Subscription> handlers;
      synchronized (subscriptions) {
        handlers = List.copyOf(subscriptions.getOrDefault(event.address(), List.of()));
      }
      for (Subscription subscription : handlers) {
        try {
          subscription.handler.accept(event);
        } catch (RuntimeException e) {
          // a failing handler must not stop the others, nor later events
          System.err.println("tradestore client: a handler of " + event.address() + " failed: " + e);
        }
      }
      if (eventsWaiting.decrementAndGet() <= EVENTS_HIGH_WATER / 2 && paused) {
        NetSocket current = socket;
        paused = false;
        if (current != null) {
          current.resume();
        }
      }
    });
  }

  private ExecutorService eventThread() {
    ExecutorService events = eventThread;
    if (events == null) {
      synchronized (this) {
        if (eventThread == null) {
          eventThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), run -> {
            Thread thread = new Thread(run, "tradestore-events");
            thread.setDaemon(true);
            return thread;
          });
        }
        events = eventThread;
      }
    }
    return events;
  }

  void unsubscribe(Subscription subscription) {
    boolean last;
    synchronized (subscriptions) {
      List<Subscription> handlers = subscriptions.get(subscription.address());
      if (handlers == null || !handlers.remove(subscription)) {
        return;
      }
      last = handlers.isEmpty();
      if (last) {
        subscriptions.remove(subscription.address());
      }
    }
    if (last) {
      writeIfConnected(registration("unregister", subscription.address()));
    }
  }

  private JsonObject registration(String type, String address) {
    return new JsonObject().put("type", type).put("address", address).put("headers", headers(Map.of()));
  }

  private JsonObject headers(Map<String, String> extra) {
    JsonObject headers = new JsonObject();
    if (options.token() != null) {
      headers.put("token", options.token());
    }
    extra.forEach(headers::put);
    return headers;
  }

  private Buffer encode(JsonObject frame) {
    return BridgeFrames.encode(frame, options.maxFrameBytes());
  }

  private void write(String address, JsonObject frame) {
    Buffer bytes = encode(frame);
    NetSocket current = socket;
    if (current == null) {
      throw notConnected(address);
    }
    current.write(bytes);
  }

  private void writeIfConnected(JsonObject frame) {
    NetSocket current = socket;
    if (current != null) {
      current.write(encode(frame));
    }
  }

  private ConnectionLostException notConnected(String address) {
    return new ConnectionLostException(address, closed ? "the client was closed"
        : "not connected to " + options.host() + ":" + options.port() + (options.reconnect() ? " (reconnecting)" : ""));
  }

  private void pingIfConnected() {
    NetSocket current = socket;
    if (current != null) {
      current.write(encode(new JsonObject().put("type", "ping")));
    }
  }

  private void failOverdue() {
    long now = System.nanoTime();
    for (var entry : pending.entrySet()) {
      Waiting waiting = entry.getValue();
      if (now - waiting.deadlineNanos() > 0 && pending.remove(entry.getKey(), waiting)) {
        waiting.reply().completeExceptionally(new TradestoreException(-1, "TIMEOUT", "no reply within "
            + waiting.timeoutMs() + " ms; the outcome is unknown: resend with the same ids", null, waiting.address(),
            "TIMEOUT"));
      }
    }
  }

  private void failPending(String why) {
    for (String replyAddress : List.copyOf(pending.keySet())) {
      Waiting waiting = pending.remove(replyAddress);
      if (waiting != null) {
        waiting.reply().completeExceptionally(new ConnectionLostException(waiting.address(),
            why + "; the outcome is unknown, resend with the same ids"));
      }
    }
  }

  private void lost(NetSocket lostSocket, String why) {
    if (socket != lostSocket) {
      return; // closed by close(), or already replaced
    }
    socket = null;
    paused = false;
    failPending("the connection was lost (" + why + ")");
    if (closed) {
      return;
    }
    if (!options.reconnect()) {
      closeAsync();
      return;
    }
    System.err.println("tradestore client: connection to " + options.host() + ":" + options.port() + " lost (" + why
        + "); reconnecting");
    reconnectAfter(FIRST_BACKOFF_MS);
  }

  private void reconnectAfter(long backoffMs) {
    long pause = backoffMs / 2 + ThreadLocalRandom.current().nextLong(backoffMs / 2 + 1);
    vertx.setTimer(Math.max(1, pause), id -> {
      if (closed) {
        return;
      }
      open().onSuccess(opened -> {
        List<String> addresses;
        synchronized (subscriptions) {
          addresses = List.copyOf(subscriptions.keySet());
        }
        addresses.forEach(address -> opened.write(encode(registration("register", address))));
        reconnects.incrementAndGet();
        attach(opened);
      }).onFailure(e -> reconnectAfter(Math.min(options.maxBackoff().toMillis(), backoffMs * 2)));
    });
  }
}
