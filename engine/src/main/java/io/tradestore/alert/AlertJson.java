package io.tradestore.alert;

import io.tradestore.Times;
import io.tradestore.domain.Decimals;
import io.tradestore.domain.alert.Alert;
import io.tradestore.domain.alert.AlertFiring;
import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * The alert as replies and events show it, its status as of {@code now} (an ACTIVE alert past its expiry reads
 * EXPIRED); kinds, conditions and repeats in the request's camelCase ({@code unrealizedPnl}, {@code crossesAbove}).
 */
public final class AlertJson {
  private AlertJson() { }

  public static JsonObject of(Alert a, long now) {
    return new JsonObject()
        .put("alertId", a.alertId())
        .put("account", a.account())
        .put("symbol", a.symbol())
        .put("kind", name(a.kind()))
        .put("condition", name(a.condition()))
        .put("threshold", Decimals.format(a.threshold()))
        .put("repeat", name(a.repeat()))
        .put("rearmBy", Decimals.format(a.rearmBy()))
        .put("expiresAt", Times.iso(a.expiresAt()))
        .put("note", a.note())
        .put("status", a.statusAt(now).name())
        .put("armed", a.armed())
        .put("firings", a.firings())
        .put("lastFiredAt", Times.iso(a.lastFiredAt()))
        .put("createdAt", Times.iso(a.createdAt()))
        .put("updatedAt", Times.iso(a.updatedAt()));
  }

  /** A firing: the alert after it, the value that met the threshold, the one before (a crossing) and the cause. */
  public static JsonObject of(AlertFiring f) {
    return new JsonObject()
        .put("alert", of(f.alert(), f.at()))
        .put("value", Decimals.format(f.value()))
        .put("previous", Decimals.format(f.previous()))
        .put("cause", f.cause().name().toLowerCase(Locale.ROOT))
        .put("causeId", f.causeId())
        .put("firedAt", Times.iso(f.at()));
  }

  /** {@code UNREALIZED_PNL} as {@code unrealizedPnl}, {@code CROSSES_ABOVE} as {@code crossesAbove}. */
  public static String name(Enum<?> value) {
    String[] words = value.name().toLowerCase(Locale.ROOT).split("_");
    StringBuilder name = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      name.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
    }
    return name.toString();
  }
}
