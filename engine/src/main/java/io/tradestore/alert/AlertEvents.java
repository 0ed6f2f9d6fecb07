package io.tradestore.alert;

import io.tradestore.domain.alert.Alert;
import io.tradestore.domain.alert.AlertFiring;
import io.tradestore.outbox.EventTypes;
import io.tradestore.outbox.OutboxEvent;

/** The outbox events of an alert; their aggregate is the alert, so its creation, firings and end are in order. */
public final class AlertEvents {
  private AlertEvents() { }

  public static OutboxEvent created(Alert alert) {
    return OutboxEvent.deferred(EventTypes.ALERT_CREATED, "alert", alert.alertId(),
        () -> AlertJson.of(alert, alert.updatedAt()), alert.updatedAt());
  }

  public static OutboxEvent cancelled(Alert alert) {
    return OutboxEvent.deferred(EventTypes.ALERT_CANCELLED, "alert", alert.alertId(),
        () -> AlertJson.of(alert, alert.updatedAt()), alert.updatedAt());
  }

  public static OutboxEvent expired(Alert alert) {
    return OutboxEvent.deferred(EventTypes.ALERT_EXPIRED, "alert", alert.alertId(),
        () -> AlertJson.of(alert, alert.updatedAt()), alert.updatedAt());
  }

  public static OutboxEvent triggered(AlertFiring firing) {
    return OutboxEvent.deferred(EventTypes.ALERT_TRIGGERED, "alert", firing.alert().alertId(),
        () -> AlertJson.of(firing), firing.at());
  }
}
