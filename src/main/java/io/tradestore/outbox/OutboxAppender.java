package io.tradestore.outbox;

import io.tradestore.store.JdbcSession;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Appends events to the outbox inside the caller's transaction, so an event exists exactly when the change it
 * describes committed. {@code seq} (AUTOINCREMENT) is assigned by SQLite in commit order.
 */
public final class OutboxAppender {
  /** Public for the bench's raw ceiling, which must run exactly the engine's writes. */
  public static final String INSERT = """
      INSERT INTO outbox (event_id, aggregate_type, aggregate_id, event_type, payload, headers, created_at,
                          status, attempts, next_attempt_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?)
      """;

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
    return tx.preparedQuery(INSERT).executeBatch(rows(events)).mapEmpty();
  }

  /** The same, on the writer's hot path (a {@link io.tradestore.store.BatchProcessor}). */
  public static void append(JdbcSession tx, List<OutboxEvent> events) throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    APPENDED.addAndGet(events.size());
    tx.batch(INSERT, rows(events));
  }

  private static List<Tuple> rows(List<OutboxEvent> events) {
    List<Tuple> rows = new ArrayList<>(events.size());
    for (OutboxEvent e : events) {
      rows.add(Tuple.of(e.eventId(), e.aggregateType(), e.aggregateId(), e.type(), e.payload().encode(), HEADERS,
          e.occurredAt(), e.occurredAt()));
    }
    return rows;
  }
}
