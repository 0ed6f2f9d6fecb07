package io.tradestore.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list, newest first. {@code nextCursor} is handed back to fetch the next page and is null on the
 * last one. Cursors are row ids (which VACUUM never renumbers), so paging is stable while rows are added.
 */
public record Page<T>(List<T> items, String nextCursor) {

  /**
   * A page from rows fetched with {@code LIMIT limit + 1}: the extra row only says that another page exists, so
   * the last page never hands out a cursor to an empty one.
   */
  public static <T> Page<T> of(RowSet<Row> rows, int limit, Function<Row, T> mapper, Function<Row, String> cursorOf) {
    List<T> items = new ArrayList<>(Math.min(rows.size(), limit));
    String cursor = null;
    for (Row row : rows) {
      if (items.size() == limit) {
        return new Page<>(items, cursor);
      }
      items.add(mapper.apply(row));
      cursor = cursorOf.apply(row);
    }
    return new Page<>(items, null);
  }

  /** The same from rows read through {@link JdbcSession}: each row's item and its cursor. */
  public static <R, T> Page<T> of(List<R> rows, int limit, Function<R, T> item, Function<R, String> cursorOf) {
    List<T> items = new ArrayList<>(Math.min(rows.size(), limit));
    for (int i = 0; i < rows.size() && i < limit; i++) {
      items.add(item.apply(rows.get(i)));
    }
    return new Page<>(items, rows.size() > limit ? cursorOf.apply(rows.get(limit - 1)) : null);
  }

  public JsonObject toJson(String itemsField, Function<T, JsonObject> render) {
    JsonArray array = new JsonArray();
    items.forEach(item -> array.add(render.apply(item)));
    return new JsonObject().put(itemsField, array).put("nextCursor", nextCursor);
  }
}
