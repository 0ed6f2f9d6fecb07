package io.tradestore.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The items of a list address, page by page along its {@code nextCursor}: each page is requested when the iteration
 * reaches it, so a long history costs one page of memory. Iterating blocks on each page's reply: do it on a thread
 * of your own, never on a Vert.x event loop.
 */
public final class Pages implements Iterable<JsonObject> {
  private final TradestoreClient client;
  private final String address;
  private final String key;
  private final JsonObject request;

  Pages(TradestoreClient client, String address, String key, JsonObject request) {
    this.client = client;
    this.address = address;
    this.key = key;
    this.request = request;
  }

  public Stream<JsonObject> stream() {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false);
  }

  @Override
  public Iterator<JsonObject> iterator() {
    return new Iterator<>() {
      private Page page = fetch(null);

      @Override
      public boolean hasNext() {
        while (!page.items().hasNext() && page.nextCursor() != null) {
          page = fetch(page.nextCursor());
        }
        return page.items().hasNext();
      }

      @Override
      public JsonObject next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return (JsonObject) page.items().next();
      }
    };
  }

  private record Page(Iterator<Object> items, String nextCursor) { }

  /** One page; a failed request throws its {@link TradestoreException} as it is, not wrapped. */
  private Page fetch(String cursor) {
    JsonObject body = request.copy();
    if (cursor != null) {
      body.put("cursor", cursor);
    }
    JsonObject reply;
    try {
      reply = client.request(address, body).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
    return new Page(reply.getJsonArray(key, new JsonArray()).iterator(), reply.getString("nextCursor"));
  }
}
