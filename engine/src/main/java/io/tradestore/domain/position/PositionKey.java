package io.tradestore.domain.position;

/** Which position: an account and a symbol. */
public record PositionKey(String account, String symbol) {
  public static PositionKey of(Position p) {
    return new PositionKey(p.account(), p.symbol());
  }
}
