package io.tradestore.support;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Request-reply against a running engine's event bus, as a client in the same cluster would. */
public final class Bus {
  private final Vertx vertx;

  public Bus(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The reply body; fails the test if the request was refused. */
  public JsonObject ok(String address, JsonObject body) {
    try {
      return (JsonObject) vertx.eventBus().request(address, body).await(10, TimeUnit.SECONDS).body();
    } catch (ReplyException e) {
      return fail(address + " refused " + body.encode() + ": " + e.failureCode() + " " + e.getMessage());
    } catch (java.util.concurrent.TimeoutException e) {
      return fail(address + " did not answer");
    }
  }

  /** The refusal; fails the test if the request succeeded or was refused with another code. */
  public JsonObject refused(String address, JsonObject body, int expectedCode) {
    try {
      Object reply = vertx.eventBus().request(address, body).await(10, TimeUnit.SECONDS).body();
      return fail(address + " accepted " + body.encode() + ": " + reply);
    } catch (ReplyException e) {
      assertEquals(expectedCode, e.failureCode(), e.getMessage());
      return new JsonObject(e.getMessage());
    } catch (java.util.concurrent.TimeoutException e) {
      return fail(address + " did not answer");
    }
  }
}
