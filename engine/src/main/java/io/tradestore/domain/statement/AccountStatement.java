package io.tradestore.domain.statement;

import java.util.List;

/** What an account's fills made of a period [from, to): one entry per symbol it held or traded, by symbol. */
public record AccountStatement(String account, long from, long to, List<SymbolStatement> symbols) {
  public AccountStatement {
    symbols = List.copyOf(symbols);
  }
}
