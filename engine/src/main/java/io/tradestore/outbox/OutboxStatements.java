package io.tradestore.outbox;

/**
 * The SQL that appends to the {@code outbox} table, as the engine runs it: {@code OutboxAppender} executes these, and
 * the benchmark's raw-JDBC ceiling runs the same text, so that the ceiling and the engine cannot drift apart.
 */
public final class OutboxStatements {
  private OutboxStatements() { }

  public static final String INSERT = """
      INSERT INTO outbox (event_id, aggregate_type, aggregate_id, event_type, payload, headers, created_at,
                          status, attempts, next_attempt_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?)
      """;

  public static final String LAST_SEQ = "SELECT last_insert_rowid() AS seq";
}
