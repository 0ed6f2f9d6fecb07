package io.tradestore.client;

/**
 * The engine's event-bus addresses (docs/api.md). A test in the engine holds this list equal to the addresses the
 * engine serves.
 */
public final class Addresses {
  private Addresses() { }

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
  public static final String BALANCES_HISTORY = "trading.balances.history";

  public static final String STATEMENTS_GET = "trading.statements.get";

  public static final String ALERTS_CREATE = "trading.alerts.create";
  public static final String ALERTS_CANCEL = "trading.alerts.cancel";
  public static final String ALERTS_GET = "trading.alerts.get";
  public static final String ALERTS_LIST = "trading.alerts.list";
  public static final String ALERTS_FIRINGS = "trading.alerts.firings";

  public static final String OUTBOX_STATUS = "trading.outbox.status";
  public static final String OUTBOX_REQUEUE = "trading.outbox.requeue";
  public static final String OUTBOX_SKIP = "trading.outbox.skip";
  public static final String OUTBOX_REPLAY = "trading.outbox.replay";

  /** Every event is published here and on {@code EVENTS + "." + type}, e.g. {@code trading.events.fill.recorded}. */
  public static final String EVENTS = "trading.events";

  /** The address of one event type: {@code events("fill.recorded")} is {@code trading.events.fill.recorded}. */
  public static String events(String type) {
    return EVENTS + "." + type;
  }
}
