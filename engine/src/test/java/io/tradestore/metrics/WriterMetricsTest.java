package io.tradestore.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradestore.CommandFailure;
import io.tradestore.ErrorCode;
import io.tradestore.store.Store;
import io.tradestore.store.Write;
import io.tradestore.support.WriterFixture;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tradestore.support.WriterFixture.insert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The writer's meters against a real store: group-commit batch sizes, commit time, and why transactions fail. */
class WriterMetricsTest {
  @TempDir Path dir;
  WriterFixture writer;
  Store store;
  PrometheusMeterRegistry registry;

  @BeforeEach
  void open() throws Exception {
    writer = WriterFixture.open(dir, Map.of("database.busyTimeoutMs", 50, "writer.busyRetries", 1));
    store = writer.store;
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    StoreMetrics.bind(registry, store, 1);
  }

  @AfterEach
  void close() {
    writer.close();
  }

  private PrometheusText metrics() {
    return PrometheusText.parse(registry.scrape());
  }

  @Test
  void aBurstIsCommittedInFewerTransactionsThanCommandsAndEveryCommandIsCounted() throws Exception {
    int commands = 50;
    writer.onContext(() -> {
      List<Future<Void>> all = new ArrayList<>();
      for (int i = 0; i < commands; i++) {
        all.add(store.writer().submit(Write.sql(insert("v" + i))));
      }
      return Future.all(all);
    });
    PrometheusText m = metrics();
    double commits = m.value("tradestore_writer_batch_size_count");
    assertEquals(commands, m.value("tradestore_writer_batch_size_sum"), "every command was in a commit");
    assertTrue(commits < commands, "group commit: " + commits + " commits for " + commands + " commands");
    assertTrue(m.value("tradestore_writer_batch_size_max") > 1);
    assertEquals(commits, m.value("tradestore_writer_commit_duration_seconds_count"));
    assertEquals(commits, m.value("tradestore_writer_commits_total"));
    assertEquals(0.0, m.value("tradestore_writer_batch_size_bucket", "le", "1.0"), 1.0,
        "at most the first command went alone");
  }

  @Test
  void aRefusalIsNotAFailedTransactionButAnUnexpectedErrorIs() throws Exception {
    Future<Void> refused = store.writer().submit(Write.sql(tx -> Future.failedFuture(new CommandFailure(ErrorCode.CONFLICT, "no"))));
    Future<Void> broken = store.writer().submit(Write.sql(tx -> tx.query("INSERT INTO no_such_table VALUES (1)").execute().mapEmpty()));
    Future.join(refused, broken).otherwiseEmpty().await(10, TimeUnit.SECONDS);
    assertTrue(refused.failed() && broken.failed());
    PrometheusText m = metrics();
    assertEquals(1.0, m.value("tradestore_writer_transactions_failed_total", "reason", "error"));
    assertEquals(0.0, m.value("tradestore_writer_transactions_failed_total", "reason", "busy"));
    assertEquals(0.0, m.value("tradestore_writer_commit_duration_seconds_count"), "nothing committed");
  }

  @Test
  void aWriteLockHeldElsewhereCountsBusyRetriesAndABusyTransaction() throws Exception {
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + store.path()); Statement st = other.createStatement()) {
      st.executeUpdate("BEGIN IMMEDIATE");
      Future<Void> blocked = store.writer().submit(Write.sql(insert("x")));
      blocked.otherwiseEmpty().await(10, TimeUnit.SECONDS);
      assertTrue(blocked.failed());
      st.executeUpdate("ROLLBACK");
    }
    PrometheusText m = metrics();
    assertEquals(1.0, m.value("tradestore_writer_transactions_failed_total", "reason", "busy"));
    assertEquals(1.0, m.value("tradestore_writer_busy_retries_total"));
    store.writer().submit(Write.sql(insert("y"))).await(10, TimeUnit.SECONDS);
    assertEquals(1.0, metrics().value("tradestore_writer_commit_duration_seconds_count"), "writes resume and are timed");
  }
}
