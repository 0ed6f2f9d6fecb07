package io.tradestore.bus;

import io.tradestore.CommandFailure;
import io.tradestore.ErrorCode;
import io.tradestore.metrics.CommandMetrics;
import io.tradestore.store.CommandFailures;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * Serves event-bus addresses with command handlers that always answer: the reply on success, a coded JSON
 * failure otherwise. Bad input is an answer, not an exception: only unexpected errors are logged, with their cause.
 * Every answer is counted by address and outcome, and timed from the request's arrival to the reply, on the
 * {@link CommandMetrics} it is given.
 */
final class Replies {
  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

  private final EventBus bus;
  private final CommandMetrics metrics;

  Replies(EventBus bus, CommandMetrics metrics) {
    this.bus = bus;
    this.metrics = metrics;
  }

  /** Serves {@code address} with {@code action}; completes once the consumer is registered. */
  Future<Void> bind(String address, CommandHandler action) {
    return bus.consumer(address, serve(address, action)).completion();
  }

  private Handler<Message<Object>> serve(String address, CommandHandler action) {
    // registered with the consumer, so that the meters exist before the first command
    CommandMetrics.Recorder recorder = metrics.forAddress(address);
    return message -> {
      long received = System.nanoTime();
      Future<JsonObject> outcome;
      try {
        outcome = action.handle(Request.of(message.body()));
      } catch (RuntimeException e) {
        outcome = Future.failedFuture(e);
      }
      // counted before the reply: whoever sees the reply and then scrapes the metrics finds it counted
      outcome.onComplete(done -> {
        if (done.succeeded()) {
          count(() -> recorder.succeeded(received, done.result()));
          message.reply(done.result());
          return;
        }
        Throwable error = done.cause();
        CommandFailure failure = CommandFailures.of(error);
        if (failure.code() == ErrorCode.INTERNAL) {
          LOG.error("{} failed unexpectedly", address, error);
        }
        count(() -> recorder.failed(received, failure.code()));
        failure.replyTo(message);
      });
    };
  }

  /** A meter that fails must not cost the client its reply. */
  private static void count(Runnable record) {
    try {
      record.run();
    } catch (RuntimeException e) {
      LOG.error("recording a command's metrics failed", e);
    }
  }
}
