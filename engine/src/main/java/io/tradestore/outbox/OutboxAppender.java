package io.tradestore.outbox;

import io.tradestore.store.JdbcSession;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Appends events to the outbox inside the caller's transaction, so an event exists exactly when the change it
 * describes committed. {@code seq} (AUTOINCREMENT) is assigned by SQLite in commit order.
 */
public final class OutboxAppender {
  private static final String HEADERS = new JsonObject().put("producer", "tradestore").encode();

  /** Events appended so far (committed or not): the dispatcher is woken after commits that moved it. */
  private static final AtomicLong APPENDED = new AtomicLong();

  private OutboxAppender() { }

  public static long appendedCount() {
    return APPENDED.get();
  }

  public static Future<Void> append(SqlConnection tx, List<OutboxEvent> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture();
    }
    APPENDED.addAndGet(events.size());
    return tx.preparedQuery(OutboxStatements.INSERT).executeBatch(rows(events)).mapEmpty();
  }

  /**
   * Starts building and encoding the payloads on a helper thread (batches of {@link #ENCODE_AHEAD_FROM} events
   * or more), so that the writer can write the other tables' rows meanwhile and only then join
   * ({@link #append(JdbcSession, List, CompletableFuture)}). The writer is the engine's one serial resource:
   * measured, building and encoding the three payloads of a fill was about a fifth of its time
   * (docs/performance.md).
   */
  public static CompletableFuture<List<String>> encodeAhead(List<OutboxEvent> events) {
    if (events.size() < ENCODE_AHEAD_FROM) {
      // a few events are encoded sooner than the helper thread is woken, and the writer is not left waiting for it
      try {
        return CompletableFuture.completedFuture(encode(events));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return CompletableFuture.supplyAsync(() -> encode(events), ENCODER);
  }

  /** Batches with fewer events than this are encoded by the writer itself (two thread switches cost more). */
  static final int ENCODE_AHEAD_FROM = 16;

  private static List<String> encode(List<OutboxEvent> events) {
    List<String> texts = new ArrayList<>(events.size());
    for (OutboxEvent e : events) {
      texts.add(e.payload().encode());
    }
    return texts;
  }

  /**
   * The same as {@link #append(SqlConnection, List)}, on the writer's hot path (a
   * {@link io.tradestore.store.BatchProcessor}), with the payload texts from {@link #encodeAhead}: answers the events
   * as the dispatcher takes them, with the seqs SQLite gave them, for the {@link OutboxFeed} once the transaction
   * commits. One connection writes, and AUTOINCREMENT gives each row of a batch the next seq, so the batch holds the
   * {@code n} seqs that end at the last row inserted.
   */
  public static List<ClaimedEvent> append(JdbcSession tx, List<OutboxEvent> events, CompletableFuture<List<String>> encoded)
      throws SQLException {
    if (events.isEmpty()) {
      return List.of();
    }
    List<String> texts;
    try {
      texts = encoded.join();
    } catch (CompletionException e) {
      // a payload that cannot be built fails the transaction, as it would have on the writer's own thread
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    APPENDED.addAndGet(events.size());
    List<Tuple> rows = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      rows.add(row(events.get(i), texts.get(i)));
    }
    tx.batch(OutboxStatements.INSERT, rows);
    long last = tx.query(OutboxStatements.LAST_SEQ, Tuple.tuple(), r -> r.integer("seq")).get(0);
    List<ClaimedEvent> appended = new ArrayList<>(events.size());
    long seq = last - events.size() + 1;
    for (int i = 0; i < events.size(); i++) {
      appended.add(ClaimedEvent.committed(seq + i, events.get(i), texts.get(i)));
    }
    return appended;
  }

  /**
   * One daemon thread for every engine of the process: it holds no state, and one is enough to keep ahead of the
   * single writer it serves.
   */
  private static final Executor ENCODER = Executors.newSingleThreadExecutor(task -> {
    Thread thread = new Thread(task, "tradestore-payload-encoder");
    thread.setDaemon(true);
    return thread;
  });

  private static List<Tuple> rows(List<OutboxEvent> events) {
    List<Tuple> rows = new ArrayList<>(events.size());
    for (OutboxEvent e : events) {
      rows.add(row(e, e.payload().encode()));
    }
    return rows;
  }

  private static Tuple row(OutboxEvent e, String payloadText) {
    return Tuple.of(e.eventId(), e.aggregateType(), e.aggregateId(), e.type(), payloadText, HEADERS, e.occurredAt(),
        e.occurredAt());
  }
}
