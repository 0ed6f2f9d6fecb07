package io.tradestore.outbox;

import java.util.List;

/** Every event type the engine emits; docs/events.md describes each. */
public final class EventTypes {
  private EventTypes() { }

  public static final String QUOTE_SUBMITTED = "quote.submitted";
  public static final String QUOTE_CANCELLED = "quote.cancelled";
  public static final String QUOTE_EXPIRED = "quote.expired";
  public static final String QUOTE_USED = "quote.used";
  public static final String ORDER_PLACED = "order.placed";
  public static final String ORDER_UPDATED = "order.updated";
  public static final String FILL_RECORDED = "fill.recorded";
  public static final String POSITION_CHANGED = "position.changed";
  public static final String BALANCE_UPDATED = "balance.updated";
  public static final String ALERT_CREATED = "alert.created";
  public static final String ALERT_CANCELLED = "alert.cancelled";
  public static final String ALERT_TRIGGERED = "alert.triggered";
  public static final String ALERT_EXPIRED = "alert.expired";

  public static final List<String> ALL = List.of(QUOTE_SUBMITTED, QUOTE_CANCELLED, QUOTE_EXPIRED, QUOTE_USED,
      ORDER_PLACED, ORDER_UPDATED, FILL_RECORDED, POSITION_CHANGED, BALANCE_UPDATED, ALERT_CREATED, ALERT_CANCELLED,
      ALERT_TRIGGERED, ALERT_EXPIRED);
}
