package io.tradestore.outbox;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradestore.config.EngineConfig;
import io.tradestore.metrics.CommandMetrics;
import io.tradestore.store.BatchProcessor;
import io.tradestore.store.JdbcSession;
import io.tradestore.store.Store;
import io.tradestore.store.Write;
import io.tradestore.store.migration.MigrationRunner;
import io.tradestore.support.OnContext;
import io.tradestore.support.TestEngineConfig;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A real store on a temp SQLite file with the outbox verticle deployed on its own, and a test subscriber that
 * records every raw delivery and answers as the test says (0 = acknowledge, otherwise a failure code).
 */
final class OutboxHarness implements AutoCloseable {
  static final String SUBSCRIBER = "test.subscriber";

  final EngineConfig config;
  final Vertx vertx = Vertx.vertx();
  final Store store;
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final List<Delivery> raw = Collections.synchronizedList(new ArrayList<>());
  volatile Function<JsonObject, Integer> answer = e -> 0;
  /** The hand-off the trading book uses; {@link #commitViaFeed} appends through it. */
  final OutboxFeed feed = new OutboxFeed();
  private final FeedingAppender viaFeed = new FeedingAppender(feed);
  private String deployment;
  OutboxVerticle verticle;

  /** One delivery as the subscriber saw it. */
  record Delivery(JsonObject envelope, long atMillis, boolean acknowledged) {
    String eventId() {
      return envelope.getString("eventId");
    }

    long seq() {
      return envelope.getLong("seq");
    }

    int n() {
      return envelope.getJsonObject("payload").getInteger("n");
    }

    String aggregateId() {
      return envelope.getString("aggregateId");
    }
  }

  OutboxHarness(Path dir, Map<String, Object> overrides) throws Exception {
    Map<String, Object> all = new HashMap<>();
    all.put("outbox.subscribers", List.of(SUBSCRIBER));
    all.put("outbox.backoffInitialMs", 40);
    all.put("outbox.backoffMaxMs", 400);
    all.put("outbox.pollMinMs", 10);
    all.put("outbox.pollMaxMs", 100);
    all.put("outbox.deliveryTimeoutMs", 1000);
    all.put("outbox.maxAttempts", 10);
    all.putAll(overrides);
    config = TestEngineConfig.in(dir, all);
    new MigrationRunner(config.database(), config.migrations()).migrate();
    store = OnContext.await(vertx, () -> Store.open(vertx, config));
    vertx.eventBus().<JsonObject>consumer(SUBSCRIBER, this::subscriber);
  }

  private void subscriber(Message<JsonObject> message) {
    int code = answer.apply(message.body());
    raw.add(new Delivery(message.body(), System.currentTimeMillis(), code == 0));
    if (code == 0) {
      message.reply(new JsonObject().put("ok", true));
    } else {
      message.fail(code, "test subscriber refused");
    }
  }

  void deploy() {
    deploy(DeliveryObserver.NONE);
  }

  void deploy(DeliveryObserver deliveries) {
    verticle = new OutboxVerticle(store, config.outbox(), Clock.systemUTC(), registry, new CommandMetrics(registry), feed,
        new FinishedEvents(), deliveries);
    deployment = vertx.deployVerticle(verticle).await();
  }

  void undeploy() {
    vertx.undeploy(deployment).await();
    deployment = null;
  }

  /** Commits events of one aggregate with payloads {@code {"n": from..to}}. */
  void commit(String aggregateId, int from, int to) {
    List<OutboxEvent> events = new ArrayList<>();
    for (int n = from; n <= to; n++) {
      events.add(OutboxEvent.of("order.updated", "order", aggregateId, new JsonObject().put("n", n), System.currentTimeMillis()));
    }
    commit(events);
  }

  void commit(List<OutboxEvent> events) {
    store.writer().submit(Write.sql(tx -> OutboxAppender.append(tx, events))).await();
  }

  /** Like {@link #commit(String, int, int)}, the way the trading book appends: the commit hands them to the feed. */
  void commitViaFeed(String aggregateId, int from, int to) {
    List<OutboxEvent> events = new ArrayList<>();
    for (int n = from; n <= to; n++) {
      events.add(OutboxEvent.of("order.updated", "order", aggregateId, new JsonObject().put("n", n), System.currentTimeMillis()));
    }
    store.writer().submit(Write.batched(viaFeed, events)).await();
  }

  /** Appends on the writer's batch path and hands what it appended to the feed once committed, as the book does. */
  private static final class FeedingAppender implements BatchProcessor<List<OutboxEvent>> {
    private final OutboxFeed feed;
    private final List<ClaimedEvent> appended = new ArrayList<>();

    FeedingAppender(OutboxFeed feed) {
      this.feed = feed;
    }

    @Override
    public List<Object> process(JdbcSession tx, List<List<OutboxEvent>> commands) throws SQLException {
      List<Object> outcomes = new ArrayList<>();
      for (List<OutboxEvent> events : commands) {
        appended.addAll(OutboxAppender.append(tx, events, OutboxAppender.encodeAhead(events)));
        outcomes.add(Boolean.TRUE);
      }
      return outcomes;
    }

    @Override
    public void committed() {
      List<ClaimedEvent> done = List.copyOf(appended);
      appended.clear();
      feed.committed(done);
    }

    @Override
    public void rolledBack() {
      appended.clear();
    }
  }

  /** What the subscriber applied: the first acknowledged delivery of each event, in arrival order. */
  List<Delivery> effects(Predicate<Delivery> filter) {
    List<Delivery> out = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    synchronized (raw) {
      for (Delivery d : raw) {
        if (d.acknowledged() && filter.test(d) && seen.add(d.eventId())) {
          out.add(d);
        }
      }
    }
    return out;
  }

  JsonObject request(String address, JsonObject body) {
    return (JsonObject) vertx.eventBus().request(address, body).await().body();
  }

  long queryLong(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + config.database().path());
         Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  String queryString(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + config.database().path());
         Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  void execute(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + config.database().path());
         Statement st = c.createStatement()) {
      st.executeUpdate(sql);
    }
  }

  static void await(String what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  @Override
  public void close() {
    if (deployment != null) {
      undeploy();
    }
    store.close().await();
    vertx.close().await();
  }
}
