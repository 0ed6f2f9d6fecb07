package io.tradestore.export;

/** What an export keeps; null: no filter. {@code from}/{@code to} are epoch milliseconds, [from, to). */
public record ExportFilters(String account, String symbol, Long from, Long to) {
  public ExportFilters {
    if (from != null && to != null && from >= to) {
      throw new IllegalArgumentException("--to must be after --from");
    }
  }
}
