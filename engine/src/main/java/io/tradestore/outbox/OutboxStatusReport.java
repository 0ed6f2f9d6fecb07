package io.tradestore.outbox;

import io.tradestore.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * The outbox's counts as {@code trading.outbox.status} answers them and the gauges show them: read from the
 * partial indexes of the unfinished events, the dispatcher's in-flight events shown as such, and the finished ones
 * scanned for only until a first count succeeds, then kept by {@link FinishedEvents}.
 */
final class OutboxStatusReport {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxStatusReport.class);

  private final Store store;
  private final Clock clock;
  private final List<String> subscribers;
  private final FinishedEvents finished;
  private final OutboxDispatcher dispatcher;
  private final OutboxMetrics metrics;
  private boolean scanning;

  OutboxStatusReport(Store store, Clock clock, List<String> subscribers, FinishedEvents finished,
                     OutboxDispatcher dispatcher, OutboxMetrics metrics) {
    this.store = store;
    this.clock = clock;
    this.subscribers = subscribers;
    this.finished = finished;
    this.dispatcher = dispatcher;
    this.metrics = metrics;
  }

  /** For the gauges, every few seconds: a failed read leaves the last figures. */
  void refreshGauges() {
    boolean scan = !finished.counted() && !scanning;
    scanning |= scan;
    FinishedEvents.ScanStart start = finished.scanStarting();
    OutboxRepository.status(store.readers().pool(), clock.millis(), 0, scan)
        .map(this::withInFlight)
        .map(status -> scan ? countedFinished(start, status) : withKeptFinished(status))
        .onSuccess(metrics::snapshot)
        .onFailure(err -> LOG.debug("outbox gauges not refreshed: {}", err.getMessage()))
        .onComplete(done -> scanning &= !scan);
  }

  /**
   * @param limit        how many of the oldest pending and blocked events to list
   * @param scanFinished whether to count the finished events too (a scan of the table)
   */
  Future<JsonObject> status(int limit, boolean scanFinished) {
    FinishedEvents.ScanStart start = finished.scanStarting();
    return OutboxRepository.status(store.readers().pool(), clock.millis(), limit, scanFinished).map(this::withInFlight)
        .map(status -> {
          metrics.snapshot(scanFinished ? countedFinished(start, status) : withKeptFinished(status));
          return status.put("subscribers", subscribers);
        });
  }

  /** A scan's finished counts become what the engine keeps from now on (the reply shows the scan's own). */
  private JsonObject countedFinished(FinishedEvents.ScanStart start, JsonObject status) {
    JsonObject counts = status.getJsonObject("counts");
    finished.counted(start, counts.getLong("PUBLISHED", 0L), counts.getLong("SKIPPED", 0L));
    return withKeptFinished(status);
  }

  /** For the gauges only (a reply without {@code finished} leaves them out, as documented). */
  private JsonObject withKeptFinished(JsonObject status) {
    if (!finished.counted()) {
      return status;
    }
    JsonObject copy = status.copy();
    copy.getJsonObject("counts").put("PUBLISHED", finished.published()).put("SKIPPED", finished.skipped());
    return copy;
  }

  /**
   * The dispatcher keeps its deliveries in memory and their rows stay PENDING until the outcome is recorded, so the
   * database's PENDING count includes them: they are shown as IN_FLIGHT instead (added to what an older version may
   * have left IN_FLIGHT in the rows, until it is reclaimed at start).
   */
  private JsonObject withInFlight(JsonObject status) {
    JsonObject counts = status.getJsonObject("counts");
    long inFlight = dispatcher.inFlight();
    long pending = counts.getLong("PENDING");
    long taken = Math.min(inFlight, pending); // the read and the count in memory are not taken at the same instant
    counts.put("PENDING", pending - taken).put("IN_FLIGHT", counts.getLong("IN_FLIGHT") + taken);
    return status;
  }
}
