package io.tradestore.outbox;

import io.tradestore.store.Columns;
import io.tradestore.store.JdbcSession;
import io.tradestore.store.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The outbox table as the dispatcher and the operator commands see it. Writes take the writer's transaction. */
final class OutboxRepository {
  /**
   * Rows an earlier build left {@code IN_FLIGHT} (earlier builds wrote a claim into the row; this one keeps
   * its deliveries in memory and leaves the row PENDING until the outcome is recorded): whether they were delivered is
   * unknown, so they go back to PENDING and are delivered again. Found through the partial index of holding events:
   * a plain {@code WHERE status = 'IN_FLIGHT'} scanned the whole retained history at every start (measured: 0.7 s with
   * 2.9 million retained events, warm cache).
   */
  private static final String RECLAIM = """
      UPDATE outbox INDEXED BY outbox_held_by_aggregate
         SET status = 'PENDING', claimed_by = NULL, lease_until = NULL
       WHERE (status IN ('IN_FLIGHT', 'BLOCKED') OR (status = 'PENDING' AND attempts > 0)) AND status = 'IN_FLIGHT'""";

  /**
   * The next events to deliver: due PENDING events after {@code fromSeq} in seq order, skipping any event whose
   * aggregate has an earlier event that holds it back (blocked, or waiting for its retry). A read: the dispatcher
   * keeps what it took in memory and starts the next read after the last seq it took (writing a claim into every
   * row cost a rewrite of the row and two index moves per event: docs/performance.md).
   *
   * <p>"Due" is judged against the time the dispatcher last read from the start ({@code passStart}), not the clock:
   * a retry due by then was taken in that pass (it is in flight, or done), so it holds nothing back; a retry that
   * came due since was not taken, and it must keep holding back the later events of its aggregate until the next
   * pass from the start takes it first.
   *
   * <p>Both scans are pinned to partial indexes: left to itself the planner scanned the retained history, which
   * made each claim grow with it (docs/performance.md, "Measurements behind design choices"). The holding events are found in
   * {@code outbox_held_by_aggregate} (migration 002), which leaves out fresh PENDING events: an event never tried
   * (attempts = 0: new, or requeued) is due whatever its {@code next_attempt_at}, so it never holds anything back.
   * (Comparing it with the clock would let a later event of its aggregate overtake it: event times are taken when
   * a command arrives, not in commit order.) The index predicate is repeated word for word so that SQLite uses it.
   * {@code attempts} is returned counting the attempt about to be made.
   */
  private static final String CLAIM = """
      SELECT o.seq, o.event_id, o.event_type, o.aggregate_type, o.aggregate_id, o.payload, o.created_at,
             o.attempts + 1 AS attempts
        FROM outbox o INDEXED BY outbox_pending
       WHERE o.status = 'PENDING' AND o.seq > ? AND (o.attempts = 0 OR o.next_attempt_at <= ?)
         AND NOT EXISTS (
           SELECT 1 FROM outbox p INDEXED BY outbox_held_by_aggregate
            WHERE p.aggregate_type = o.aggregate_type AND p.aggregate_id = o.aggregate_id AND p.seq < o.seq
              AND (p.status IN ('IN_FLIGHT', 'BLOCKED') OR (p.status = 'PENDING' AND p.attempts > 0))
              AND NOT (p.status = 'PENDING' AND p.next_attempt_at <= ?))
       ORDER BY o.seq
       LIMIT ?""";

  /** {@code attempts} is the claimed count, which includes the attempt being recorded. */
  private static final String MARK_PUBLISHED = """
      UPDATE outbox SET status = 'PUBLISHED', attempts = ?, published_at = ?, last_error = NULL
       WHERE seq = ? AND status = 'PENDING'""";

  private static final String MARK_FAILED = """
      UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?
       WHERE seq = ? AND status = 'PENDING'""";

  /** The earliest retry due after a time (a pending event with attempts), or null when none. */
  private static final String NEXT_RETRY = """
      SELECT min(next_attempt_at) AS next_retry FROM outbox INDEXED BY outbox_held_by_aggregate
       WHERE (status IN ('IN_FLIGHT', 'BLOCKED') OR (status = 'PENDING' AND attempts > 0)) AND status = 'PENDING'
         AND next_attempt_at > ?""";

  /** Whether any event holds back its aggregate (blocked, or a failure waiting for its retry): a probe of a small index. */
  private static final String ANY_HELD = """
      SELECT EXISTS (SELECT 1 FROM outbox INDEXED BY outbox_held_by_aggregate
                      WHERE status IN ('IN_FLIGHT', 'BLOCKED') OR (status = 'PENDING' AND attempts > 0)) AS held""";

  /** Appends an operator action to the event's headers, so the row itself says who released it and why. */
  private static final String WITH_ACTION = """
      json_set(coalesce(headers, '{}'), '$.operator',
               json(json_insert(coalesce(json_extract(headers, '$.operator'), '[]'), '$[#]',
                                json_object('action', ?, 'at', ?, 'reason', ?))))""";

  private static final String REQUEUE = "UPDATE outbox SET status = 'PENDING', attempts = 0, next_attempt_at = ?, headers = "
      + WITH_ACTION + " WHERE seq = ? AND status = 'BLOCKED'";

  private static final String SKIP = "UPDATE outbox SET status = 'SKIPPED', published_at = ?, headers = "
      + WITH_ACTION + " WHERE seq = ? AND status = 'BLOCKED'";

  private static final String EVENT_COLUMNS = """
      seq, event_id, event_type, aggregate_type, aggregate_id, payload, created_at, attempts, status, last_error,
      next_attempt_at, published_at, headers""";

  private OutboxRepository() { }

  static Future<Integer> reclaimInFlight(SqlClient tx) {
    return tx.query(RECLAIM).execute().map(rows -> rows.rowCount());
  }

  /**
   * On a read-only connection: the next events after {@code fromSeq}, in seq order, judging retries due against
   * {@code passStart} (see {@link #CLAIM}).
   */
  static List<ClaimedEvent> claim(JdbcSession readOnly, long fromSeq, long passStart, int limit) throws SQLException {
    return readOnly.query(CLAIM, Tuple.of(fromSeq, passStart, passStart, limit), OutboxRepository::claimed);
  }

  private static ClaimedEvent claimed(Columns r) {
    return new ClaimedEvent(r.integer("seq"), r.text("event_id"), r.text("event_type"), r.text("aggregate_type"),
        r.text("aggregate_id"), r.text("payload"), null, r.integer("created_at"), r.integer("attempts").intValue());
  }

  /** Records the outcomes of a round of deliveries, on the writer's hot path; one statement batch per kind. */
  static void mark(JdbcSession tx, List<Mark> marks) throws SQLException {
    List<Tuple> published = new ArrayList<>();
    List<Tuple> failed = new ArrayList<>();
    for (Mark m : marks) {
      switch (m.outcome()) {
        case PUBLISHED -> published.add(Tuple.of(m.attempts(), m.at(), m.seq()));
        case RETRY, BLOCKED -> failed.add(Tuple.of(m.outcome() == Mark.Outcome.BLOCKED ? "BLOCKED" : "PENDING",
            m.attempts(), m.nextAttemptAt(), m.error(), m.seq()));
      }
    }
    tx.batch(MARK_PUBLISHED, published);
    tx.batch(MARK_FAILED, failed);
  }

  /** When the earliest failed event due after {@code after} is due, or null when none. */
  static Long nextRetryAfter(JdbcSession readOnly, long after) throws SQLException {
    List<Long> next = readOnly.query(NEXT_RETRY, Tuple.of(after), r -> r.integer("next_retry"));
    return next.isEmpty() ? null : next.get(0);
  }

  /** True when some event holds back the later events of its aggregate (see {@link #ANY_HELD}). */
  static boolean anyHeld(JdbcSession readOnly) throws SQLException {
    return readOnly.query(ANY_HELD, Tuple.tuple(), r -> r.integer("held")).get(0) != 0;
  }

  /** Runs a requeue or skip on a BLOCKED event; true when it was BLOCKED and changed. */
  static Future<Boolean> requeue(SqlClient tx, long seq, long now, String reason) {
    return tx.preparedQuery(REQUEUE).execute(Tuple.of(now, "requeue", iso(now), reason, seq)).map(r -> r.rowCount() == 1);
  }

  static Future<Boolean> skip(SqlClient tx, long seq, long now, String reason) {
    return tx.preparedQuery(SKIP).execute(Tuple.of(now, "skip", iso(now), reason, seq)).map(r -> r.rowCount() == 1);
  }

  static Future<JsonObject> find(SqlClient client, long seq) {
    return client.preparedQuery("SELECT " + EVENT_COLUMNS + " FROM outbox WHERE seq = ?").execute(Tuple.of(seq))
        .map(rows -> Rows.first(rows, OutboxRepository::describe));
  }

  /**
   * How many seqs one replay of a single aggregate looks at. The outbox keeps no index by aggregate (migration 004:
   * it cost a page write per order and position in every transaction), so such a replay reads the seq range
   * itself: bounded, so that one request never walks the whole retained history.
   */
  static final long AGGREGATE_SCAN_SEQS = 100_000;

  /** Retained events from a seq on, and where the next request continues (null: nothing retained beyond them). */
  record Replayable(List<ClaimedEvent> events, Long nextSeq) { }

  /**
   * Retained events from {@code fromSeq} in seq order, at most {@code limit}; of one aggregate only if given, then
   * among the {@link #AGGREGATE_SCAN_SEQS} seqs from {@code fromSeq}, or from the oldest retained seq when retention
   * has removed everything before it (so that a replay from 1 does not walk empty ranges first).
   */
  static Future<Replayable> from(SqlClient client, long fromSeq, String aggregateType, String aggregateId, int limit) {
    if (aggregateId == null) {
      return client.preparedQuery("SELECT " + EVENT_COLUMNS + " FROM outbox WHERE seq >= ? ORDER BY seq LIMIT ?")
          .execute(Tuple.of(fromSeq, limit))
          .map(rows -> Rows.all(rows, r -> claimed(Columns.of(r))))
          .map(events -> new Replayable(events, events.size() == limit ? events.get(limit - 1).seq() + 1 : null));
    }
    return client.query("SELECT min(seq) AS first_seq, max(seq) AS last_seq FROM outbox").execute().compose(bounds -> {
      Row row = bounds.iterator().next();
      Long first = row.getLong("first_seq");
      Long last = row.getLong("last_seq");
      if (last == null || last < fromSeq) {
        return Future.succeededFuture(new Replayable(List.of(), null));
      }
      long start = Math.max(fromSeq, first);
      long scanEnd = start > Long.MAX_VALUE - AGGREGATE_SCAN_SEQS ? Long.MAX_VALUE : start + AGGREGATE_SCAN_SEQS;
      String sql = "SELECT " + EVENT_COLUMNS + """
           FROM outbox
          WHERE seq >= ? AND seq < ? AND aggregate_type = ? AND aggregate_id = ?
          ORDER BY seq LIMIT ?""";
      return client.preparedQuery(sql).execute(Tuple.of(start, scanEnd, aggregateType, aggregateId, limit))
          .map(rows -> Rows.all(rows, r -> claimed(Columns.of(r))))
          .map(events -> {
            Long next = null; // nothing retained beyond this range
            if (events.size() == limit) {
              next = events.get(limit - 1).seq() + 1;
            } else if (last >= scanEnd) {
              next = scanEnd;
            }
            return new Replayable(events, next);
          });
    });
  }

  /**
   * Counts per status, from the partial indexes (migrations 002, 003) rather than a scan of the retained history:
   * pending from {@code outbox_pending}, in flight and blocked from {@code outbox_held_by_aggregate}, finished from
   * {@code outbox_finished}. Each predicate repeats its index's word for word so that SQLite can use it.
   */
  private static final String UNFINISHED_COUNTS = """
      SELECT 'PENDING' AS status, count(*) AS n FROM outbox INDEXED BY outbox_pending WHERE status = 'PENDING'
      UNION ALL
      SELECT status, count(*) FROM outbox INDEXED BY outbox_held_by_aggregate
       WHERE (status IN ('IN_FLIGHT', 'BLOCKED') OR (status = 'PENDING' AND attempts > 0)) AND status <> 'PENDING'
       GROUP BY status""";

  /**
   * The finished events: the whole retained history, read row by row for their status (measured: 1.3 s warm, 4 s
   * cold, for 2.9 million events), so the gauges count them far less often than the unfinished ones.
   */
  private static final String FINISHED_COUNTS = """
      SELECT status, count(*) AS n FROM outbox INDEXED BY outbox_finished WHERE status IN ('PUBLISHED', 'SKIPPED')
       GROUP BY status""";

  /**
   * The oldest pending and the oldest in-flight event (each over its partial index), the next due one, the last seq.
   * Both figures of the pending events come from one pass over {@code outbox_pending}, which holds every PENDING
   * event (migration 005 dropped the index of their due times, which every append and publication paid for).
   */
  private static final String AGES = """
      SELECT pending.oldest AS oldest_pending,
             (SELECT min(created_at) FROM outbox INDEXED BY outbox_held_by_aggregate
               WHERE (status IN ('IN_FLIGHT', 'BLOCKED') OR (status = 'PENDING' AND attempts > 0))
                 AND status = 'IN_FLIGHT') AS oldest_in_flight,
             pending.next_due AS next_due,
             (SELECT max(seq) FROM outbox) AS last_seq
        FROM (SELECT min(created_at) AS oldest, min(next_attempt_at) AS next_due
                FROM outbox INDEXED BY outbox_pending WHERE status = 'PENDING') AS pending""";

  private static final String BLOCKED = "SELECT " + EVENT_COLUMNS + """
       FROM outbox INDEXED BY outbox_held_by_aggregate
      WHERE (status IN ('IN_FLIGHT', 'BLOCKED') OR (status = 'PENDING' AND attempts > 0)) AND status = 'BLOCKED'
      ORDER BY seq
      LIMIT ?""";

  /**
   * Counts per status, the oldest unfinished event, the next due retry, and the blocked events. Without
   * {@code finished}, the counts leave out PUBLISHED and SKIPPED (see {@link #FINISHED_COUNTS}).
   */
  static Future<JsonObject> status(SqlClient client, long now, int blockedLimit, boolean finished) {
    JsonObject counts = new JsonObject();
    for (String status : finished ? List.of("PENDING", "IN_FLIGHT", "PUBLISHED", "BLOCKED", "SKIPPED")
        : List.of("PENDING", "IN_FLIGHT", "BLOCKED")) {
      counts.put(status, 0L);
    }
    Future<Void> counted = client.query(UNFINISHED_COUNTS).execute()
        .map(rows -> {
          rows.forEach(r -> counts.put(r.getString("status"), r.getLong("n")));
          return null;
        });
    if (finished) {
      counted = counted.compose(v -> client.query(FINISHED_COUNTS).execute()).map(rows -> {
        rows.forEach(r -> counts.put(r.getString("status"), r.getLong("n")));
        return null;
      });
    }
    return counted
        .compose(v -> client.query(AGES).execute())
        .compose(rows -> {
          Row r = rows.iterator().next();
          Long oldestPending = r.getLong("oldest_pending");
          Long oldestInFlight = r.getLong("oldest_in_flight");
          Long oldest = oldestPending;
          if (oldestInFlight != null && (oldest == null || oldestInFlight < oldest)) {
            oldest = oldestInFlight;
          }
          JsonObject status = new JsonObject()
              .put("counts", counts)
              .put("oldestPendingAgeMs", oldest == null ? null : Math.max(0, now - oldest))
              .put("nextDueAt", iso(r.getLong("next_due")))
              .put("lastSeq", r.getLong("last_seq"));
          return client.preparedQuery(BLOCKED).execute(Tuple.of(blockedLimit)).map(blocked -> {
                JsonArray list = new JsonArray();
                blocked.forEach(b -> list.add(describe(b)));
                return status.put("blocked", list);
              });
        });
  }

  private static JsonObject describe(Row r) {
    return new JsonObject()
        .put("seq", r.getLong("seq"))
        .put("eventId", r.getString("event_id"))
        .put("type", r.getString("event_type"))
        .put("aggregateType", r.getString("aggregate_type"))
        .put("aggregateId", r.getString("aggregate_id"))
        .put("status", r.getString("status"))
        .put("attempts", r.getInteger("attempts"))
        .put("lastError", r.getString("last_error"))
        .put("createdAt", iso(r.getLong("created_at")))
        .put("nextAttemptAt", iso(r.getLong("next_attempt_at")))
        .put("publishedAt", iso(r.getLong("published_at")))
        .put("headers", r.getString("headers") == null ? null : new JsonObject(r.getString("headers")));
  }

  private static String iso(Long millis) {
    return io.tradestore.Times.iso(millis);
  }
}
