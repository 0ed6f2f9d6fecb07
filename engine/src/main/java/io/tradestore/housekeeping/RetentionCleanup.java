package io.tradestore.housekeeping;

import io.tradestore.book.TradingBook;
import io.tradestore.config.EngineConfig;
import io.tradestore.outbox.FinishedEvents;
import io.tradestore.store.Rows;
import io.tradestore.store.Store;
import io.tradestore.store.Write.WriteCommand;
import io.tradestore.store.Write;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Removes what the desk no longer needs in the live database, in small batches through the writer so that no
 * command waits behind a cleanup transaction for more than a few milliseconds:
 * <ul>
 *   <li>quotes EXPIRED, CANCELLED or USED longer than {@code quotesDays};</li>
 *   <li>terminal orders (FILLED, CANCELLED, REJECTED, EXPIRED) older than {@code ordersDays} whose newest fill is
 *       older than {@code fillsDays}, together with their fills: an order never goes without its fills, and an
 *       open order (or its fills) never goes;</li>
 *   <li>outbox events PUBLISHED or SKIPPED longer than {@code outboxDays}; never PENDING, IN_FLIGHT or BLOCKED;</li>
 *   <li>alerts TRIGGERED, CANCELLED or EXPIRED longer than {@code alertsDays}, together with their firings; never an
 *       ACTIVE one (the book keeps only active alerts in memory, so it has nothing to forget).</li>
 * </ul>
 * Positions and balances are never removed. With an archive directory, removed rows are appended to it first.
 */
public final class RetentionCleanup {
  /** The tables retention removes rows from; positions, balances and the balance history are never among them. */
  public static final List<String> TABLES = List.of("quotes", "orders", "fills", "outbox", "alerts", "alert_firings");

  private static final Logger LOG = LoggerFactory.getLogger(RetentionCleanup.class);
  private static final long DAY = 86_400_000L;

  private static final String QUOTES = """
      DELETE FROM quotes WHERE quote_id IN (
        SELECT quote_id FROM quotes
         WHERE status IN ('EXPIRED', 'CANCELLED', 'USED') AND updated_at < ?
         LIMIT ?)
      RETURNING *""";

  private static final String ORDERS_DUE = """
      SELECT order_id FROM orders o
       WHERE status IN ('FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED') AND updated_at < ?
         AND NOT EXISTS (SELECT 1 FROM fills f WHERE f.order_id = o.order_id AND f.recorded_at >= ?)
       LIMIT ?""";

  private static final String ALERTS_DUE = """
      SELECT alert_id FROM alerts
       WHERE status IN ('TRIGGERED', 'CANCELLED', 'EXPIRED') AND updated_at < ?
       LIMIT ?""";

  /** Oldest publications first, along the partial index of finished events (migration 003): no sort. */
  private static final String OUTBOX = """
      DELETE FROM outbox WHERE seq IN (
        SELECT seq FROM outbox INDEXED BY outbox_finished
         WHERE status IN ('PUBLISHED', 'SKIPPED') AND published_at < ?
         ORDER BY published_at, seq
         LIMIT ?)
      RETURNING *""";

  /** Rows removed per table by one run. */
  public record Report(Map<String, Long> removed, long durationMs) { }

  private final Vertx vertx;
  private final Store store;
  private final EngineConfig.Retention settings;
  private final Clock clock;
  private final RetentionArchive archive;
  private final BiConsumer<String, Long> removedListener;
  private TradingBook book;
  private FinishedEvents finished;

  /** @param removedListener told how many rows of which table each batch removed (metrics) */
  public RetentionCleanup(Vertx vertx, Store store, EngineConfig.Retention settings, Clock clock,
                          BiConsumer<String, Long> removedListener) {
    this.vertx = vertx;
    this.store = store;
    this.settings = settings;
    this.clock = clock;
    this.archive = settings.archiveDirectory() == null ? null : new RetentionArchive(settings.archiveDirectory());
    this.removedListener = removedListener;
  }

  /** The outbox's kept counts of finished events: told how many of each status every committed batch removed. */
  public RetentionCleanup purging(FinishedEvents finished) {
    this.finished = finished;
    return this;
  }

  /** The book that keeps orders and fills in memory: told about every order and fill removed, in the same command. */
  public RetentionCleanup forgetting(TradingBook book) {
    this.book = book;
    return this;
  }

  /** One full pass over every table; logs and returns what it removed. */
  public Future<Report> run() {
    long begin = System.nanoTime();
    long now = clock.millis();
    Map<String, Long> removed = Collections.synchronizedMap(new LinkedHashMap<>());
    for (String table : TABLES) {
      removed.put(table, 0L);
    }
    return drain(() -> quotesBatch(now, removed))
        .compose(v -> drain(() -> ordersBatch(now, removed)))
        .compose(v -> drain(() -> outboxBatch(now, removed)))
        .compose(v -> drain(() -> alertsBatch(now, removed)))
        .map(v -> {
          Report report = new Report(Map.copyOf(removed), (System.nanoTime() - begin) / 1_000_000);
          LOG.info("retention removed {} in {} ms", report.removed(), report.durationMs());
          return report;
        });
  }

  /** Repeats a batch until one removes less than a full batch. */
  private Future<Void> drain(java.util.function.Supplier<Future<Integer>> batch) {
    return batch.get().compose(count -> count >= settings.batchSize() ? drain(batch) : Future.succeededFuture());
  }

  private Future<Integer> quotesBatch(long now, Map<String, Long> removed) {
    long cutoff = now - settings.quotesDays() * DAY;
    return archived(now, (tx, marks) -> tx.preparedQuery(QUOTES).execute(Tuple.of(cutoff, settings.batchSize()))
        .compose(rows -> keep("quotes", Rows.all(rows, r -> r.toJson()), now, marks)))
        .andThen(done -> count(done.result(), "quotes", removed));
  }

  private Future<Integer> ordersBatch(long now, Map<String, Long> removed) {
    long orderCutoff = now - settings.ordersDays() * DAY;
    long fillCutoff = now - settings.fillsDays() * DAY;
    int[] fillCount = {0};
    return archived(now, (tx, marks) -> tx.preparedQuery(ORDERS_DUE)
        .execute(Tuple.of(orderCutoff, fillCutoff, settings.batchSize()))
        .compose(due -> {
          List<String> ids = Rows.all(due, r -> r.getString("order_id"));
          List<String> fillIds = new ArrayList<>();
          return removeWithChildren(tx, marks, now, ids, "orders", "fills", "order_id", fills -> {
            fillCount[0] = fills.size();
            fills.forEach(f -> fillIds.add(f.getString("fill_id")));
          }).andThen(done -> {
            if (book != null && !ids.isEmpty()) {
              // on the writer's context, before any later command can look them up
              book.forget(ids, fillIds);
            }
          });
        }))
        .andThen(done -> {
          if (done.succeeded()) {
            count(fillCount[0], "fills", removed);
            count(done.result(), "orders", removed);
          }
        });
  }

  private Future<Integer> outboxBatch(long now, Map<String, Long> removed) {
    long cutoff = now - settings.outboxDays() * DAY;
    long[] publishedAndSkipped = new long[2];
    return archived(now, (tx, marks) -> tx.preparedQuery(OUTBOX).execute(Tuple.of(cutoff, settings.batchSize()))
        .compose(rows -> {
          publishedAndSkipped[0] = 0; // a re-run after a failed group commit counts again
          publishedAndSkipped[1] = 0;
          rows.forEach(r -> publishedAndSkipped["PUBLISHED".equals(r.getString("status")) ? 0 : 1]++);
          return keep("outbox", Rows.all(rows, r -> r.toJson()), now, marks);
        }))
        .andThen(done -> {
          if (done.succeeded() && finished != null) {
            finished.purged(publishedAndSkipped[0], publishedAndSkipped[1]);
          }
          count(done.result(), "outbox", removed);
        });
  }

  private Future<Integer> alertsBatch(long now, Map<String, Long> removed) {
    long cutoff = now - settings.alertsDays() * DAY;
    int[] firingCount = {0};
    return archived(now, (tx, marks) -> tx.preparedQuery(ALERTS_DUE)
        .execute(Tuple.of(cutoff, settings.batchSize()))
        .compose(due -> removeWithChildren(tx, marks, now, Rows.all(due, r -> r.getString("alert_id")),
            "alerts", "alert_firings", "alert_id", firings -> firingCount[0] = firings.size())))
        .andThen(done -> {
          if (done.succeeded()) {
            count(firingCount[0], "alert_firings", removed);
            count(done.result(), "alerts", removed);
          }
        });
  }

  /**
   * Deletes the rows of {@code parent} whose {@code key} is one of {@code ids}, and first the rows of {@code child}
   * that reference them, archiving both; tells {@code childrenRemoved} the removed children, answers the number of
   * parents removed.
   */
  private Future<Integer> removeWithChildren(SqlConnection tx, RetentionArchive.Marks marks, long now,
                                             List<String> ids, String parent, String child, String key,
                                             Consumer<List<JsonObject>> childrenRemoved) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(0);
    }
    String in = "(" + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")";
    Tuple args = Tuple.tuple(new ArrayList<>(ids));
    return tx.preparedQuery("DELETE FROM " + child + " WHERE " + key + " IN " + in + " RETURNING *").execute(args)
        .compose(rows -> {
          List<JsonObject> children = Rows.all(rows, r -> r.toJson());
          childrenRemoved.accept(children);
          return keep(child, children, now, marks);
        })
        .compose(x -> tx.preparedQuery("DELETE FROM " + parent + " WHERE " + key + " IN " + in + " RETURNING *")
            .execute(args))
        .compose(rows -> keep(parent, Rows.all(rows, r -> r.toJson()), now, marks));
  }

  /** A delete batch as a writer command whose archive is cut back if it does not commit (or is run again). */
  private Future<Integer> archived(long now, ArchivedDelete delete) {
    RetentionArchive.Marks marks = new RetentionArchive.Marks();
    WriteCommand<Integer> command = tx -> {
      if (archive != null) {
        archive.rewind(marks); // a re-run after a failed group commit starts from the same place
      }
      return delete.run(tx, marks);
    };
    return store.writer().submit(Write.refusingBeforeWriting(command)).onFailure(err -> {
      if (archive != null) {
        vertx.executeBlocking(() -> {
          archive.rewind(marks);
          return null;
        });
      }
    });
  }

  @FunctionalInterface
  private interface ArchivedDelete {
    Future<Integer> run(SqlConnection tx, RetentionArchive.Marks marks);
  }

  /** Appends the removed rows to the archive before the delete commits; answers their number. */
  private Future<Integer> keep(String table, List<JsonObject> rows, long now, RetentionArchive.Marks marks) {
    if (archive == null || rows.isEmpty()) {
      return Future.succeededFuture(rows.size());
    }
    return vertx.executeBlocking(() -> {
      archive.append(table, rows, RetentionArchive.today(now), marks);
      return rows.size();
    });
  }

  private void count(Integer rows, String table, Map<String, Long> removed) {
    if (rows != null && rows > 0) {
      removed.merge(table, rows.longValue(), Long::sum);
      removedListener.accept(table, rows.longValue());
    }
  }
}
