package io.tradestore.outbox;

import io.tradestore.CommandFailure;
import io.tradestore.ErrorCode;
import io.tradestore.store.StoreWriter;
import io.tradestore.store.Write;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * What an operator does to a BLOCKED event: requeue it (delivered again, its aggregate's chain released) or skip it
 * (never delivered, the chain released). Anything not BLOCKED is left to the dispatcher and answered 409.
 */
final class OutboxOperatorActions {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxOperatorActions.class);

  private final StoreWriter writer;
  private final Clock clock;
  private final OutboxDispatcher dispatcher;
  private final FinishedEvents finished;

  OutboxOperatorActions(StoreWriter writer, Clock clock, OutboxDispatcher dispatcher, FinishedEvents finished) {
    this.writer = writer;
    this.clock = clock;
    this.dispatcher = dispatcher;
    this.finished = finished;
  }

  Future<JsonObject> requeue(long seq, String reason) {
    return operate(seq, "requeued", tx -> OutboxRepository.requeue(tx, seq, clock.millis(), reason));
  }

  Future<JsonObject> skip(long seq, String reason) {
    return operate(seq, "skipped", tx -> OutboxRepository.skip(tx, seq, clock.millis(), reason));
  }

  private Future<JsonObject> operate(long seq, String done, Write.WriteCommand<Boolean> change) {
    dispatcher.rescan(); // before the change can be seen: the events it releases go first
    return writer.submit(Write.refusingBeforeWriting(tx -> OutboxRepository.find(tx, seq).compose(event -> {
      if (event == null) {
        return Future.failedFuture(new CommandFailure(ErrorCode.NOT_FOUND, "no outbox event with seq " + seq, "seq"));
      }
      if (!"BLOCKED".equals(event.getString("status"))) {
        return Future.failedFuture(new CommandFailure(ErrorCode.CONFLICT,
            "outbox event " + seq + " is " + event.getString("status") + ", not BLOCKED", "seq"));
      }
      return change.execute(tx).compose(v -> OutboxRepository.find(tx, seq));
    }))).andThen(x -> dispatcher.rescanNow()).map(event -> {
      if ("SKIPPED".equals(event.getString("status"))) {
        finished.skipped(1);
      }
      LOG.info("outbox event seq {} ({}) {} by an operator", seq, event.getString("type"), done);
      return event;
    });
  }
}
