package io.tradestore.statement;

import io.tradestore.Times;
import io.tradestore.domain.Decimals;
import io.tradestore.domain.position.Position;
import io.tradestore.domain.statement.AccountStatement;
import io.tradestore.domain.statement.SymbolStatement;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.Map;

/** The statement as its reply shows it: decimals as strings, the period's ends as ISO-8601 UTC (null when open). */
final class StatementJson {
  private StatementJson() { }

  static JsonObject of(AccountStatement statement) {
    JsonArray symbols = new JsonArray();
    statement.symbols().forEach(s -> symbols.add(of(s)));
    return new JsonObject()
        .put("account", statement.account())
        .put("from", statement.from() == Long.MIN_VALUE ? null : Times.iso(statement.from()))
        .put("to", statement.to() == Long.MAX_VALUE ? null : Times.iso(statement.to()))
        .put("symbols", symbols);
  }

  private static JsonObject of(SymbolStatement s) {
    return new JsonObject()
        .put("symbol", s.symbol())
        .put("opening", position(s.opening()))
        .put("closing", position(s.closing()))
        .put("realizedPnl", Decimals.format(s.realizedPnl()))
        .put("fees", fees(s.fees()))
        .put("fillCount", s.fillCount());
  }

  private static JsonObject position(Position p) {
    return new JsonObject()
        .put("quantity", Decimals.format(p.quantity()))
        .put("averagePrice", Decimals.format(p.averagePrice()))
        .put("realizedPnl", Decimals.format(p.realizedPnl()))
        .put("fees", fees(p.fees()))
        .put("fillCount", p.fillCount());
  }

  private static JsonObject fees(Map<String, BigDecimal> fees) {
    JsonObject json = new JsonObject();
    fees.forEach((asset, fee) -> json.put(asset, Decimals.format(fee)));
    return json;
  }
}
