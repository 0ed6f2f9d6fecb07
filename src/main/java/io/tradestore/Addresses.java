package io.tradestore;

/** Every event-bus address the engine serves or publishes on; docs/api.md documents each one. */
public final class Addresses {
  private Addresses() { }

  /** Engine identity and the state of its database. */
  public static final String ENGINE_INFO = "trading.engine.info";

  public static final String QUOTES_SUBMIT = "trading.quotes.submit";
  public static final String QUOTES_CANCEL = "trading.quotes.cancel";
  public static final String QUOTES_GET = "trading.quotes.get";
  public static final String QUOTES_ACTIVE = "trading.quotes.active";

  public static final String ORDERS_PLACE = "trading.orders.place";
  public static final String ORDERS_UPDATE = "trading.orders.update";
  public static final String ORDERS_CANCEL = "trading.orders.cancel";
  public static final String ORDERS_GET = "trading.orders.get";
  public static final String ORDERS_LIST = "trading.orders.list";

  public static final String FILLS_RECORD = "trading.fills.record";
  public static final String FILLS_LIST = "trading.fills.list";

  public static final String POSITIONS_GET = "trading.positions.get";
  public static final String POSITIONS_LIST = "trading.positions.list";

  public static final String BALANCES_UPDATE = "trading.balances.update";
  public static final String BALANCES_LIST = "trading.balances.list";

  /** Every event is published here and on {@code EVENTS + "." + type}. */
  public static final String EVENTS = "trading.events";
}
