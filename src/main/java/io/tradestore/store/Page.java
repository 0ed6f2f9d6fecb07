package io.tradestore.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list, newest first. {@code nextCursor} is handed back to fetch the next page and is null on the
 * last one. Cursors are row ids (which VACUUM never renumbers), so paging is stable while rows are added.
 */
public record Page<T>(List<T> items, String nextCursor) {

  public JsonObject toJson(String itemsField, Function<T, JsonObject> render) {
    JsonArray array = new JsonArray();
    items.forEach(item -> array.add(render.apply(item)));
    return new JsonObject().put(itemsField, array).put("nextCursor", nextCursor);
  }
}
