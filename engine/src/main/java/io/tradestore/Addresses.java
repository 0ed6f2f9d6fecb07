package io.tradestore;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;

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

  /** Every event is published here and on {@code EVENTS + "." + type}. */
  public static final String EVENTS = "trading.events";

  /** Every address above. Metrics label event-bus traffic by address only for these (and "other"), so a client
   *  inventing addresses cannot inflate the number of series. */
  public static final Set<String> ALL = collect();

  private static Set<String> collect() {
    Set<String> all = new HashSet<>();
    for (Field field : Addresses.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        try {
          all.add((String) field.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return Set.copyOf(all);
  }
}
