package io.tradestore.bench;

import io.tradestore.Addresses;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.ThreadLocalRandom;

/**
 * What the load drivers send: realistic trading commands across many symbols and several accounts. Each slot (one
 * request in flight) is a small state machine, so a fill is only sent once the order it fills was answered.
 *
 * <ul>
 *   <li>{@link Kind#MIX}: per cycle a quote, an order of 10, and three partial fills of 2, 3 and 5 (the last one
 *       FILLS the order): 5 commands, 3 of them fills;</li>
 *   <li>{@link Kind#FILLS}: one large order per slot, then partial fills of 1–3 on it for ever: the fill path
 *       alone, comparable fill for fill with the raw JDBC ceiling;</li>
 *   <li>{@link Kind#QUOTES}: quotes only, on random symbols, all within {@link #QUOTE_LOW} and
 *       {@link #QUOTE_HIGH}: the path alerts are evaluated on.</li>
 * </ul>
 */
final class Workload {
  enum Kind { MIX, FILLS, QUOTES }

  static final int SYMBOLS = 40;
  static final int ACCOUNTS = 5;
  /** The band of the bench's quoted prices, in cents: bids from 95.00 up to 104.99, asks 0.05 above them. */
  static final long QUOTE_LOW = 9_500;
  static final long QUOTE_HIGH = 10_504;

  /** One request: where to send it and whether it records a fill. */
  record Step(String address, JsonObject body, boolean fill) { }

  private Workload() { }

  static String symbol(int i) {
    return String.format("SYM%02dUSDT", i % SYMBOLS);
  }

  /** The per-slot state machine; {@code runId} keeps ids unique across runs against one database. */
  static final class Slot {
    private final Kind kind;
    private final String prefix;
    private final String account;
    private final int index;
    private long cycle;
    private int phase;
    private long fills;
    private String orderId;
    private String symbol;
    private String side;

    Slot(Kind kind, String runId, int globalIndex) {
      this.kind = kind;
      this.prefix = runId + "-" + globalIndex + "-";
      this.account = "acct-" + (globalIndex % ACCOUNTS);
      this.index = globalIndex;
    }

    Step next() {
      return switch (kind) {
        case MIX -> nextMix();
        case FILLS -> nextFill();
        case QUOTES -> {
          cycle++;
          yield quote(symbol(ThreadLocalRandom.current().nextInt(SYMBOLS)));
        }
      };
    }

    private Step quote(String quoted) {
      long bid = QUOTE_LOW + ThreadLocalRandom.current().nextInt(1_000); // in cents: prices are exact decimals here too
      return new Step(Addresses.QUOTES_SUBMIT, new JsonObject()
          .put("quoteId", prefix + "q" + cycle).put("symbol", quoted)
          .put("bidPrice", price(bid)).put("bidQuantity", "5")
          .put("askPrice", price(bid + 5)).put("askQuantity", "7")
          .put("sourceSymbol", quoted.replace("USDT", "-USD"))
          .put("sourceBidPrice", price(bid - 1)).put("sourceAskPrice", price(bid + 6)), false);
    }

    private Step nextMix() {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      switch (phase) {
        case 0 -> {
          cycle++;
          symbol = symbol(random.nextInt(SYMBOLS));
          side = random.nextBoolean() ? "BUY" : "SELL";
          orderId = prefix + "o" + cycle;
          phase = 1;
          return quote(symbol);
        }
        case 1 -> {
          phase = 2;
          return new Step(Addresses.ORDERS_PLACE, new JsonObject()
              .put("orderId", orderId).put("account", account).put("symbol", symbol).put("side", side)
              .put("type", "LIMIT").put("quantity", "10").put("price", price(10_000 + random.nextInt(-500, 500))), false);
        }
        default -> {
          String quantity = switch (phase) { case 2 -> "2"; case 3 -> "3"; default -> "5"; };
          phase = phase == 4 ? 0 : phase + 1;
          return fill(quantity);
        }
      }
    }

    private Step nextFill() {
      if (orderId == null) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        symbol = symbol(index);
        side = random.nextBoolean() ? "BUY" : "SELL";
        orderId = prefix + "big";
        return new Step(Addresses.ORDERS_PLACE, new JsonObject()
            .put("orderId", orderId).put("account", account).put("symbol", symbol).put("side", side)
            .put("type", "MARKET").put("quantity", "1000000000"), false);
      }
      return fill(String.valueOf(1 + ThreadLocalRandom.current().nextInt(3)));
    }

    private Step fill(String quantity) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      fills++;
      boolean maker = random.nextBoolean();
      return new Step(Addresses.FILLS_RECORD, new JsonObject()
          .put("fillId", prefix + "f" + fills).put("orderId", orderId)
          .put("price", price(10_000 + random.nextInt(-500, 500))).put("quantity", quantity)
          .put("fee", maker ? "-0.002" : "0.01").put("feeAsset", "USDT").put("liquidity", maker ? "MAKER" : "TAKER")
          .put("tradeId", prefix + "t" + fills), true);
    }
  }

  /** A price given in cents, as the canonical decimal text a client would send. */
  static String price(long cents) {
    return io.tradestore.domain.Decimals.format(java.math.BigDecimal.valueOf(cents, 2));
  }
}
