package io.tradestore.book;

import io.tradestore.domain.Side;
import io.tradestore.domain.book.BookResult;
import io.tradestore.domain.book.TradingCommand;
import io.tradestore.domain.order.Order;
import io.tradestore.domain.order.OrderStatus;
import io.tradestore.store.Write;
import io.tradestore.support.Bus;
import io.tradestore.support.RunningEngine;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The book's memory against what is stored: after a restart it starts empty and must load, never assume. */
class TradingBookTest {
  @TempDir Path dir;

  private static JsonObject market(String orderId) {
    return new JsonObject().put("orderId", orderId).put("account", "desk").put("symbol", "BTC").put("side", "BUY")
        .put("type", "MARKET").put("quantity", "1");
  }

  private static JsonObject fill(String fillId, String orderId) {
    return new JsonObject().put("fillId", fillId).put("orderId", orderId).put("price", "10").put("quantity", "1");
  }

  @Test
  void aPlaceAndItsFillInOneBatchAfterARestartBuildOnTheStoredPosition() throws Exception {
    Map<String, Object> settings = Map.of("retention.atStartup", false);
    try (RunningEngine first = RunningEngine.start(dir, settings)) {
      Bus bus = new Bus(first.engine.vertx());
      for (int i = 0; i < 5; i++) {
        bus.ok("trading.orders.place", market("before-" + i));
        bus.ok("trading.fills.record", fill("f-before-" + i, "before-" + i));
      }
    }
    try (RunningEngine second = RunningEngine.start(dir, settings)) {
      // straight to the writer from one thread, so each fill is queued right behind its order, in the same batches
      var writer = second.engine.startup().store().writer();
      TradingBook book = second.engine.startup().book();
      List<Future<?>> all = new ArrayList<>();
      long commitsBefore = writer.commitCount();
      long now = System.currentTimeMillis();
      for (int i = 0; i < 20; i++) {
        Order order = new Order("after-" + i, null, "desk", "BTC", Side.BUY, Order.OrderType.MARKET, BigDecimal.ONE, null,
            null, OrderStatus.NEW, BigDecimal.ZERO, BigDecimal.ZERO, null, now, now);
        all.add(writer.submit(Write.batched(book, new TradingCommand.PlaceOrder(order))));
        all.add(writer.submit(Write.batched(book, new TradingCommand.RecordFill("f-after-" + i, "after-" + i, BigDecimal.TEN,
            BigDecimal.ONE, null, null, null, null, null, now))));
      }
      Future.all(all).await(30, TimeUnit.SECONDS);
      assertTrue(second.engine.startup().store().writer().commitCount() - commitsBefore < 40,
          "the commands were grouped, so places and fills met in one run");
      JsonObject position = new Bus(second.engine.vertx()).ok("trading.positions.get",
          new JsonObject().put("account", "desk").put("symbol", "BTC"));
      assertEquals("25", position.getString("quantity"), position.encode());
      assertEquals(25, position.getInteger("fillCount"));
      assertEquals("10", position.getString("averagePrice"));
    }
  }

  @Test
  void aQuoteAndTheOrderThatUsesItInOneBatchAreWrittenInTheRightOrder() throws Exception {
    try (RunningEngine running = RunningEngine.start(dir, Map.of("retention.atStartup", false))) {
      var writer = running.engine.startup().store().writer();
      TradingBook book = running.engine.startup().book();
      long now = System.currentTimeMillis();
      var quote = new io.tradestore.domain.quote.Quote("q-1", "ETH", BigDecimal.ONE, BigDecimal.ONE, BigDecimal.TEN, BigDecimal.ONE,
          io.tradestore.domain.quote.QuoteLifecycle.spreadBps(BigDecimal.ONE, BigDecimal.TEN), null, null, null,
          io.tradestore.domain.quote.Quote.QuoteStatus.ACTIVE, null, null, now, now);
      Order order = new Order("o-q", null, "desk", "ETH", Side.BUY, Order.OrderType.LIMIT, BigDecimal.ONE, BigDecimal.TEN,
          "q-1", OrderStatus.NEW, BigDecimal.ZERO, BigDecimal.ZERO, null, now, now);
      Future<Object> submitted = writer.submit(Write.batched(book, new TradingCommand.SubmitQuote(quote)));
      Future<Object> placed = writer.submit(Write.batched(book, new TradingCommand.PlaceOrder(order)));
      Future<Object> again = writer.submit(Write.batched(book, new TradingCommand.SubmitQuote(quote)));
      Future.all(submitted, placed, again).await(10, TimeUnit.SECONDS);
      assertTrue(((BookResult.QuoteResult) again.result()).duplicate(), "a resend in the same batch is a duplicate");
      JsonObject stored = new Bus(running.engine.vertx()).ok("trading.quotes.get", new JsonObject().put("quoteId", "q-1"));
      assertEquals("USED", stored.getString("status"));
      assertEquals("o-q", stored.getString("usedByOrderId"));
    }
  }
}
