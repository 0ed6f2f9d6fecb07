package io.tradestore.importer;

import io.tradestore.Addresses;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What an import file holds, told by its columns (the export's own, docs/operations.md "Import"), and the commands
 * a row becomes: the live commands, so that every row passes the same validation and idempotency as a message.
 */
enum ImportKind {
  /** {@code orders.place}, then the venue's status when the export recorded one a fill cannot give. */
  ORDERS,
  /** {@code fills.record}; the order's account, symbol and side come from the order, not from the row. */
  FILLS;

  /** A command of a row: the address and body, and whether it runs only after every file's rows. */
  record Step(String address, JsonObject body, boolean atEnd) { }

  static ImportKind of(Collection<String> columns, String file) {
    if (columns.contains("fillId")) {
      return FILLS;
    }
    if (columns.containsAll(Set.of("orderId", "side", "quantity"))) {
      return ORDERS;
    }
    throw new IllegalArgumentException(file + " has neither the columns of fills (fillId, orderId, price, quantity) "
        + "nor those of orders (orderId, symbol, side, type, quantity, price): " + columns);
  }

  /**
   * The key whose rows must be applied one after the other, in the file's order: a position's average cost
   * depends on the order of its fills, so fills of one account and symbol go in sequence (all fills in one
   * sequence when the file does not say the account and symbol); orders only need their own steps in order.
   */
  String sequenceKey(ImportRow row) {
    return switch (this) {
      case ORDERS -> row.get("orderId");
      case FILLS -> row.get("account") == null || row.get("symbol") == null ? ""
          : row.get("account") + "\u0000" + row.get("symbol");
    };
  }

  List<Step> steps(ImportRow row) {
    return switch (this) {
      case FILLS -> List.of(new Step(Addresses.FILLS_RECORD, body(row, "fillId", "orderId", "price", "quantity", "fee",
          "feeAsset", "executedAt", "tradeId", "liquidity"), false));
      case ORDERS -> orderSteps(row);
    };
  }

  /**
   * The order as placed (without its quote: a quote is not exported, and naming one the database lacks is a 404),
   * then what the venue said: ACCEPTED with its id, or REJECTED with the reason, at once; CANCELLED and EXPIRED
   * after every file, so that the fills of a partly filled, then cancelled, order are not recorded as late.
   */
  private static List<Step> orderSteps(ImportRow row) {
    Step place = new Step(Addresses.ORDERS_PLACE, body(row, "orderId", "account", "symbol", "side", "type", "quantity",
        "price"), false);
    String status = row.get("status");
    String orderId = row.get("orderId");
    JsonObject update = new JsonObject().put("orderId", orderId);
    if ("REJECTED".equals(status)) {
      return List.of(place, new Step(Addresses.ORDERS_UPDATE, update.put("status", "REJECTED")
          .put("reason", row.get("rejectReason")), false));
    }
    List<Step> steps = new java.util.ArrayList<>(List.of(place));
    if (row.get("externalOrderId") != null) {
      steps.add(new Step(Addresses.ORDERS_UPDATE, update.copy().put("status", "ACCEPTED")
          .put("externalOrderId", row.get("externalOrderId")), false));
    }
    if ("CANCELLED".equals(status) || "EXPIRED".equals(status)) {
      steps.add(new Step(Addresses.ORDERS_UPDATE, update.copy().put("status", status), true));
    }
    return steps;
  }

  private static JsonObject body(ImportRow row, String... fields) {
    JsonObject body = new JsonObject();
    for (String field : fields) {
      String value = row.get(field);
      if (value != null) {
        body.put(field, value);
      }
    }
    return body;
  }
}
