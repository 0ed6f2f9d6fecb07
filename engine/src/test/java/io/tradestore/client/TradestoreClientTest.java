package io.tradestore.client;

import io.tradestore.support.EngineFixture;
import io.tradestore.support.Trading;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java client against a real engine through its TCP bridge, as an adapter in another JVM would use it. */
class TradestoreClientTest extends EngineFixture {
  static TradestoreClient client;
  static io.tradestore.client.Trading trading;

  @BeforeAll
  static void connect() {
    client = TradestoreClient.connect(ClientOptions.of("127.0.0.1", running.config.bridge().port())).join();
    trading = client.trading();
  }

  @AfterAll
  static void disconnect() {
    client.close();
  }

  private static TradestoreException failureOf(CompletableFuture<?> reply) {
    CompletionException thrown = assertThrows(CompletionException.class, reply::join);
    return assertInstanceOf(TradestoreException.class, thrown.getCause());
  }

  @Test
  void anOrderAndItsFillAreCommittedAndAResendAnswersTheSameWithDuplicateTrue() throws Exception {
    String orderId = Trading.id("o");
    String fillId = Trading.id("f");
    JsonObject placed = trading.placeOrder(orderId, "CLIUSDT", "BUY", new BigDecimal("0.3"), new BigDecimal("100.10"),
        new JsonObject().put("account", "java-desk")).join();
    assertEquals("NEW", placed.getString("status"), placed.encode());
    assertFalse(placed.getBoolean("duplicate"));

    JsonObject filled = trading.recordFill(fillId, orderId, new BigDecimal("100.1"), new BigDecimal("0.1"),
        new JsonObject().put("fee", "0.01").put("feeAsset", "USDT")).join();
    assertEquals("0.1", filled.getJsonObject("position").getString("quantity"), filled.encode());
    assertEquals(1, running.queryLong("SELECT count(*) FROM fills WHERE fill_id = '" + fillId + "'"));

    JsonObject again = trading.recordFill(fillId, orderId, new BigDecimal("100.1"), new BigDecimal("0.1"),
        new JsonObject().put("fee", "0.01").put("feeAsset", "USDT")).join();
    assertTrue(again.getBoolean("duplicate"), again.encode());
    assertEquals(filled.getJsonObject("fill"), again.getJsonObject("fill"));
    assertEquals(1, running.queryLong("SELECT count(*) FROM fills WHERE fill_id = '" + fillId + "'"));
  }

  @Test
  void aRefusedCommandFailsWithTheEnginesCodeErrorAndField() {
    TradestoreException refused = failureOf(trading.placeOrder(Trading.id("o"), "CLIUSDT", "BUY",
        new BigDecimal("-1"), new BigDecimal("100"), null));
    assertEquals(400, refused.code(), refused.getMessage());
    assertEquals("quantity", refused.field());
    assertEquals(Addresses.ORDERS_PLACE, refused.address());
    assertFalse(refused.retryable());

    String orderId = Trading.id("o");
    trading.placeOrder(orderId, "CLIUSDT", "BUY", BigDecimal.ONE, new BigDecimal("100"), null).join();
    TradestoreException conflict = failureOf(trading.placeOrder(orderId, "CLIUSDT", "SELL", BigDecimal.ONE,
        new BigDecimal("100"), null));
    assertEquals(409, conflict.code(), conflict.getMessage());

    TradestoreException unknown = failureOf(trading.getOrder(Trading.id("missing")));
    assertEquals(404, unknown.code(), unknown.getMessage());

    TradestoreException nobody = failureOf(client.request("trading.nobody.here", new JsonObject()));
    assertEquals("NO_HANDLERS", nobody.error(), nobody.getMessage());
  }

  @Test
  void aSubscriberReceivesTheEventsOfItsAddressWithTheirIds() throws Exception {
    List<Event> seen = new CopyOnWriteArrayList<>();
    String orderId = Trading.id("o");
    try (Subscription subscription = client.subscribe(Addresses.events("order.placed"), seen::add);
         EventStream stream = client.events(Addresses.events("order.placed"), 100)) {
      // the bridge takes a connection's frames in order: a reply to a later request means the registrations are in
      trading.engineInfo().join();
      trading.placeOrder(orderId, "CLIUSDT", "SELL", BigDecimal.TEN, new BigDecimal("101"), null).join();
      Event event;
      do {
        event = stream.poll(Duration.ofSeconds(10));
        assertNotNull(event, "no order.placed event for " + orderId);
      } while (!orderId.equals(event.body().getJsonObject("payload").getString("orderId")));
      assertEquals("order.placed", event.type());
      assertNotNull(event.eventId());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (seen.stream().noneMatch(e -> e.body().encode().contains(orderId)) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(seen.stream().anyMatch(e -> e.body().encode().contains(orderId)), seen.toString());
  }

  @Test
  void pagesFollowTheCursorToTheLastPage() {
    String account = Trading.id("pages");
    List<String> placed = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String orderId = Trading.id("o");
      trading.placeOrder(orderId, "PAGEUSDT", "BUY", BigDecimal.ONE, new BigDecimal("1"),
          new JsonObject().put("account", account)).join();
      placed.add(0, orderId); // newest first
    }
    List<String> listed = trading.orders(new JsonObject().put("account", account).put("limit", 2)).stream()
        .map(order -> order.getString("orderId")).collect(Collectors.toList());
    assertEquals(placed, listed);
  }

  @Test
  void anAlertCreatedThroughTheClientIsFiredByTheQuoteThatCrossesItAndListsItsFiring() {
    String symbol = Trading.id("ALRT");
    String alertId = Trading.id("a");
    JsonObject created = trading.createAlert(alertId, symbol, "bid", "crossesBelow", new BigDecimal("99.5"),
        new JsonObject().put("repeat", "rearm").put("rearmBy", "1")).join();
    assertEquals("ACTIVE", created.getString("status"));
    String before = Trading.id("q");
    String crossing = Trading.id("q");
    trading.submitQuote(before, symbol, new BigDecimal("100"), BigDecimal.ONE, new BigDecimal("101"), BigDecimal.ONE,
        null).join();
    trading.submitQuote(crossing, symbol, new BigDecimal("99.5"), BigDecimal.ONE, new BigDecimal("101"),
        BigDecimal.ONE, null).join();
    JsonObject alert = trading.getAlert(alertId).join();
    assertEquals(List.of("ACTIVE", false, 1), List.of(alert.getString("status"), alert.getBoolean("armed"),
        alert.getInteger("firings")), "a rearm alert stays active, disarmed until the bid is back above 100.5");
    List<String> firings = trading.alertFirings(alertId).stream()
        .map(f -> f.getString("causeId") + " " + f.getString("previous") + " -> " + f.getString("value"))
        .collect(Collectors.toList());
    assertEquals(List.of(crossing + " 100 -> 99.5"), firings);
    assertEquals(List.of(alertId), trading.alerts(new JsonObject().put("symbol", symbol)).stream()
        .map(a -> a.getString("alertId")).collect(Collectors.toList()));
    assertEquals("CANCELLED", trading.cancelAlert(alertId).join().getString("status"));
  }

  @Test
  void requestsFromManyThreadsAtOnceAreEachAnsweredWithTheirOwnReply() {
    List<CompletableFuture<JsonObject>> replies = IntStream.range(0, 200).parallel()
        .mapToObj(i -> trading.placeOrder("mt-" + Trading.id("o") + "-" + i, "MTUSDT", "BUY", BigDecimal.ONE,
            new BigDecimal(i + 1), null))
        .collect(Collectors.toList());
    for (CompletableFuture<JsonObject> reply : replies) {
      JsonObject order = reply.join();
      assertTrue(order.getString("orderId").endsWith("-" + (new BigDecimal(order.getString("price")).intValue() - 1)),
          order.encode());
    }
  }

  @Test
  void theClientsAddressesAreTheAddressesTheEngineServes() throws Exception {
    assertEquals(io.tradestore.Addresses.ALL, constants(Addresses.class));
  }

  private static Set<String> constants(Class<?> type) throws IllegalAccessException {
    Set<String> values = new HashSet<>();
    for (Field field : type.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        values.add((String) field.get(null));
      }
    }
    return values;
  }
}
