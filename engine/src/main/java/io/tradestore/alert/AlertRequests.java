package io.tradestore.alert;

import io.tradestore.CommandFailure;
import io.tradestore.bus.Request;
import io.tradestore.domain.Accounts;
import io.tradestore.domain.alert.Alert;
import io.tradestore.domain.alert.Alert.Condition;
import io.tradestore.domain.alert.Alert.Kind;
import io.tradestore.domain.alert.Alert.Repeat;
import io.tradestore.domain.alert.Alert.Status;
import io.tradestore.domain.book.TradingCommand.CancelAlert;
import io.tradestore.domain.book.TradingCommand.CreateAlert;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The alert commands and queries as requests carry them; a field missing or out of range is a 400 naming it. */
final class AlertRequests {
  private AlertRequests() { }

  /** Which alerts a list asks for, newest first, after the cursor (an alert row's id). */
  record AlertQuery(String account, String symbol, Status status, Long cursor, int limit) { }

  static CreateAlert create(Request r, long now) {
    String alertId = r.text("alertId");
    String symbol = r.text("symbol");
    String account = r.textOr("account", Accounts.DEFAULT);
    Kind kind = named(r, "kind", Kind.class);
    Condition condition = named(r, "condition", Condition.class);
    if (condition.isCrossing() && !kind.isPrice()) {
      throw CommandFailure.invalid("condition", "condition " + AlertJson.name(condition)
          + " needs a price kind (bid, ask or mid); a position's " + AlertJson.name(kind) + " takes above or below");
    }
    BigDecimal threshold = r.decimal("threshold");
    if (kind == Kind.ABS_QUANTITY && threshold.signum() < 0) {
      throw CommandFailure.invalid("threshold", "threshold of absQuantity must not be negative");
    }
    Repeat repeat = r.has("repeat") ? named(r, "repeat", Repeat.class) : Repeat.ONCE;
    BigDecimal rearmBy = null;
    if (repeat == Repeat.REARM) {
      rearmBy = r.positiveDecimal("rearmBy");
    } else if (r.has("rearmBy")) {
      throw CommandFailure.invalid("rearmBy", "rearmBy applies only to repeat rearm");
    }
    return new CreateAlert(Alert.create(alertId, account, symbol, kind, condition, threshold, repeat, rearmBy,
        r.optionalTimestamp("expiresAt"), r.optionalNote("note"), now));
  }

  static CancelAlert cancel(Request r) {
    return new CancelAlert(r.text("alertId"));
  }

  static AlertQuery list(Request r) {
    return new AlertQuery(r.optionalText("account"), r.optionalText("symbol"), r.optionalEnum("status", Status.class),
        r.optionalCursor("cursor"), r.limit("limit", 100, 1000));
  }

  /** An enum by its camelCase name as documented ({@code unrealizedPnl}), or by its constant's name. */
  private static <E extends Enum<E>> E named(Request r, String field, Class<E> type) {
    String text = r.text(field);
    for (E constant : type.getEnumConstants()) {
      if (AlertJson.name(constant).equals(text) || constant.name().equals(text)) {
        return constant;
      }
    }
    throw CommandFailure.invalid(field, field + " must be one of "
        + Arrays.stream(type.getEnumConstants()).map(AlertJson::name).collect(Collectors.joining(", ")));
  }
}
