package io.tradestore.bench;

import io.tradestore.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Recorder;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Outbox latency as a subscriber of {@code trading.events} sees it, in-process:
 * <ul>
 *   <li>reply → publish: for a {@code fill.recorded} event, from the moment the driver got the fill's success reply
 *       (which the writer sends right after the COMMIT) to the event's arrival: commit-to-publish, within a hop;</li>
 *   <li>occurredAt → publish: from the event's {@code occurredAt} (the engine's clock when it took the command, so
 *       it also counts the writer queue and the transaction), millisecond resolution.</li>
 * </ul>
 */
final class EventsProbe implements AutoCloseable {
  final Recorder replyToPublishMicros = new Recorder(3);
  final Recorder occurredToPublishMicros = new Recorder(3);
  private final ConcurrentHashMap<String, Long> replied = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> published = new ConcurrentHashMap<>();
  private final MessageConsumer<JsonObject> consumer;
  volatile boolean active;

  EventsProbe(Vertx vertx) {
    consumer = vertx.eventBus().localConsumer(Addresses.EVENTS, message -> {
      if (!active) {
        return;
      }
      long nanos = System.nanoTime();
      long millis = System.currentTimeMillis();
      JsonObject event = message.body();
      occurredToPublishMicros.recordValue(Math.max(0, (millis - Instant.parse(event.getString("occurredAt")).toEpochMilli()) * 1000));
      if ("fill.recorded".equals(event.getString("type"))) {
        String fillId = event.getJsonObject("payload").getString("fillId");
        Long answered = replied.remove(fillId);
        if (answered != null) {
          replyToPublishMicros.recordValue(Math.max(0, (nanos - answered) / 1000));
        } else {
          published.put(fillId, nanos); // published before the reply reached the driver: 0
        }
      }
    });
    consumer.completion().await();
  }

  /** Called by the driver with each answered request and the time it was answered. */
  void answered(Workload.Step step, long nanos) {
    if (active && step.fill()) {
      if (replied.size() > 500_000 || published.size() > 500_000) {
        replied.clear();
        published.clear();
      }
      String fillId = step.body().getString("fillId");
      if (published.remove(fillId) != null) {
        replyToPublishMicros.recordValue(0);
      } else {
        replied.put(fillId, nanos);
      }
    }
  }

  @Override
  public void close() {
    consumer.unregister().await();
  }
}
