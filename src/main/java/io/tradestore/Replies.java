package io.tradestore;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * Turns a command handler into an event-bus handler that always answers: the reply on success, a coded JSON
 * failure otherwise. Bad input is an answer, not an exception: only unexpected errors are logged, with their cause.
 */
public final class Replies {
  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

  private Replies() { }

  public static Handler<Message<Object>> serve(String address, Function<Request, Future<JsonObject>> action) {
    return message -> {
      Future<JsonObject> outcome;
      try {
        outcome = action.apply(Request.of(message.body()));
      } catch (RuntimeException e) {
        outcome = Future.failedFuture(e);
      }
      outcome.onComplete(done -> {
        if (done.succeeded()) {
          message.reply(done.result());
          return;
        }
        Throwable error = done.cause();
        if (CommandFailure.of(error).code() == ErrorCode.INTERNAL) {
          LOG.error("{} failed unexpectedly", address, error);
        }
        CommandFailure.of(error).replyTo(message);
      });
    };
  }
}
