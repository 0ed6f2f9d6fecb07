package io.tradestore.metrics;

import io.tradestore.Addresses;
import io.tradestore.ErrorCode;
import io.tradestore.domain.order.OrderStatus;
import io.tradestore.support.EngineFixture;
import io.tradestore.support.ShippedMigrations;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static io.tradestore.support.Trading.fill;
import static io.tradestore.support.Trading.id;
import static io.tradestore.support.Trading.limit;
import static io.tradestore.support.Trading.quote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every engine metric moves when its event happens, read back from /metrics as Prometheus would scrape it. */
class EngineMetricsTest extends EngineFixture {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static String exposition() throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + running.config.http().port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"),
        response.headers().toString());
    return response.body();
  }

  static PrometheusText scrape() throws Exception {
    return PrometheusText.parse(exposition());
  }

  /** Scrapes until {@code done} holds (gauges refreshed every few seconds); fails after 15 s. */
  static PrometheusText scrapeUntil(Predicate<PrometheusText> done) throws Exception {
    long deadline = System.nanoTime() + 15_000_000_000L;
    PrometheusText metrics = scrape();
    while (!done.test(metrics)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("metrics did not reach the expected state:\n" + exposition());
      }
      Thread.sleep(200);
      metrics = scrape();
    }
    return metrics;
  }

  static double commands(PrometheusText m, String address, String outcome) {
    return m.value("tradestore_commands_total", "address", address, "outcome", outcome);
  }

  static double durationCount(PrometheusText m, String address) {
    return m.value("tradestore_command_duration_seconds_count", "address", address);
  }

  @Test
  void theExpositionIsStrictPrometheusTextWithEveryEngineFamilyTypedAndDescribed() throws Exception {
    PrometheusText m = scrape();
    Map<String, String> expected = Map.ofEntries(
        Map.entry("tradestore_commands_total", "counter"),
        Map.entry("tradestore_command_duration_seconds", "histogram"),
        Map.entry("tradestore_writer_queue_depth", "gauge"),
        Map.entry("tradestore_writer_commits_total", "counter"),
        Map.entry("tradestore_writer_commit_duration_seconds", "histogram"),
        Map.entry("tradestore_writer_batch_size", "histogram"),
        Map.entry("tradestore_writer_busy_retries_total", "counter"),
        Map.entry("tradestore_writer_transactions_failed_total", "counter"),
        Map.entry("tradestore_fills_recorded_total", "counter"),
        Map.entry("tradestore_orders", "gauge"),
        Map.entry("tradestore_positions_open", "gauge"),
        Map.entry("tradestore_duplicates_detected_total", "counter"),
        Map.entry("tradestore_quotes_expired_total", "counter"),
        Map.entry("tradestore_schema_version", "gauge"),
        Map.entry("tradestore_migration_duration_seconds", "summary"),
        Map.entry("tradestore_database_size_bytes", "gauge"),
        Map.entry("tradestore_database_wal_size_bytes", "gauge"),
        Map.entry("tradestore_wal_pages", "gauge"),
        Map.entry("tradestore_wal_uncopied_pages", "gauge"),
        Map.entry("tradestore_wal_recovery_dropped_frames", "gauge"),
        Map.entry("tradestore_wal_recovery_dropped_commits", "gauge"),
        Map.entry("tradestore_retention_rows_removed_total", "counter"),
        Map.entry("tradestore_maintenance_last_success_timestamp_seconds", "gauge"),
        Map.entry("tradestore_backup_last_success_timestamp_seconds", "gauge"),
        Map.entry("tradestore_outbox_events", "gauge"),
        Map.entry("tradestore_outbox_publish_latency_seconds", "histogram"));
    expected.forEach((family, type) -> {
      assertEquals(type, m.types.get(family), family);
      assertTrue(!m.help.getOrDefault(family, "").isBlank(), family + " has a HELP text");
    });
    // known label combinations exist before anything happened, so rate() and absent() work from the first scrape
    for (ErrorCode code : ErrorCode.values()) {
      assertEquals(0.0, commands(m, Addresses.BALANCES_LIST, code.name()));
    }
    assertEquals(0.0, m.value("tradestore_duplicates_detected_total", "address", Addresses.BALANCES_UPDATE));
    assertEquals(0.0, m.value("tradestore_retention_rows_removed_total", "table", "outbox"));
    assertEquals(0.0, m.value("tradestore_wal_recovery_dropped_commits"), "a fresh database had no log to recover");
    for (OrderStatus status : OrderStatus.values()) {
      m.value("tradestore_orders", "status", status.name());
    }
    // the command histogram has explicit buckets from 100 µs to 10 s
    Set<String> les = new HashSet<>();
    m.find("tradestore_command_duration_seconds_bucket", "address", Addresses.ORDERS_PLACE).forEach(s -> les.add(s.labels().get("le")));
    assertTrue(les.contains("1.0E-4") && les.contains("0.001") && les.contains("10.0") && les.contains("+Inf"), les.toString());
  }

  @Test
  void commandsAreCountedByAddressAndOutcomeAndTimed() throws Exception {
    PrometheusText before = scrape();
    String orderId = id("o");
    JsonObject order = limit(orderId, id("acct"), "BTCUSDT", "BUY", "1", "100");
    bus.ok(Addresses.ORDERS_PLACE, order);
    bus.ok(Addresses.ORDERS_PLACE, order);                                     // a resend: duplicate
    bus.refused(Addresses.ORDERS_PLACE, limit(id("o"), "a", "BTCUSDT", "HOLD", "1", "1"), 400);
    bus.refused(Addresses.ORDERS_PLACE, order.copy().put("quantity", "2"), 409); // same id, other content
    bus.refused(Addresses.ORDERS_GET, new JsonObject().put("orderId", id("missing")), 404);
    PrometheusText after = scrape();
    assertEquals(1.0, commands(after, Addresses.ORDERS_PLACE, "ok") - commands(before, Addresses.ORDERS_PLACE, "ok"));
    assertEquals(1.0, commands(after, Addresses.ORDERS_PLACE, "duplicate") - commands(before, Addresses.ORDERS_PLACE, "duplicate"));
    assertEquals(1.0, commands(after, Addresses.ORDERS_PLACE, "INVALID_REQUEST") - commands(before, Addresses.ORDERS_PLACE, "INVALID_REQUEST"));
    assertEquals(1.0, commands(after, Addresses.ORDERS_PLACE, "CONFLICT") - commands(before, Addresses.ORDERS_PLACE, "CONFLICT"));
    assertEquals(1.0, commands(after, Addresses.ORDERS_GET, "NOT_FOUND") - commands(before, Addresses.ORDERS_GET, "NOT_FOUND"));
    assertEquals(4.0, durationCount(after, Addresses.ORDERS_PLACE) - durationCount(before, Addresses.ORDERS_PLACE));
    assertEquals(1.0, durationCount(after, Addresses.ORDERS_GET) - durationCount(before, Addresses.ORDERS_GET));
    assertTrue(after.value("tradestore_command_duration_seconds_sum", "address", Addresses.ORDERS_PLACE)
        > before.value("tradestore_command_duration_seconds_sum", "address", Addresses.ORDERS_PLACE));
    assertEquals(1.0, after.value("tradestore_duplicates_detected_total", "address", Addresses.ORDERS_PLACE)
        - before.value("tradestore_duplicates_detected_total", "address", Addresses.ORDERS_PLACE));
    // no label carries an id: order ids, accounts and symbols never appear in the exposition
    String text = exposition();
    assertTrue(!text.contains(orderId) && !text.contains("BTCUSDT"), "no ids or symbols in labels");
    for (PrometheusText.Sample s : after.find("tradestore_commands_total")) {
      assertTrue(Addresses.ALL.contains(s.labels().get("address")), s.toString());
    }
  }

  @Test
  void writerTransactionsAreTimedAndTheirCommandsCounted() throws Exception {
    PrometheusText before = scrape();
    String account = id("acct");
    for (int i = 0; i < 3; i++) {
      bus.ok(Addresses.ORDERS_PLACE, limit(id("o"), account, "ETHUSDT", "SELL", "1", "10"));
    }
    PrometheusText after = scrape();
    double commits = after.value("tradestore_writer_commit_duration_seconds_count")
        - before.value("tradestore_writer_commit_duration_seconds_count");
    assertTrue(commits >= 1, "commits timed: " + commits);
    assertTrue(after.value("tradestore_writer_commit_duration_seconds_sum") > before.value("tradestore_writer_commit_duration_seconds_sum"));
    assertTrue(after.value("tradestore_writer_batch_size_sum") - before.value("tradestore_writer_batch_size_sum") >= 3,
        "the three orders were carried by commits");
    assertEquals(0.0, after.value("tradestore_writer_transactions_failed_total", "reason", "error"));
  }

  @Test
  void fillsDuplicatesAndTheOrderAndPositionGaugesFollowTheTrading() throws Exception {
    PrometheusText before = scrape();
    String account = id("acct");
    String live = id("o");
    bus.ok(Addresses.ORDERS_PLACE, limit(live, account, "SOLUSDT", "BUY", "2", "100"));
    JsonObject onTime = fill(id("f"), live, "1", "100");
    bus.ok(Addresses.FILLS_RECORD, onTime);
    bus.ok(Addresses.FILLS_RECORD, onTime);                       // a resend is not a second fill
    String cancelled = id("o");
    bus.ok(Addresses.ORDERS_PLACE, limit(cancelled, account, "XRPUSDT", "BUY", "2", "1"));
    bus.ok(Addresses.ORDERS_CANCEL, new JsonObject().put("orderId", cancelled));
    bus.ok(Addresses.FILLS_RECORD, fill(id("f"), cancelled, "1", "1")); // late: on a cancelled order
    PrometheusText after = scrape();
    assertEquals(1.0, after.value("tradestore_fills_recorded_total", "late", "false")
        - before.value("tradestore_fills_recorded_total", "late", "false"));
    assertEquals(1.0, after.value("tradestore_fills_recorded_total", "late", "true")
        - before.value("tradestore_fills_recorded_total", "late", "true"));
    assertEquals(1.0, after.value("tradestore_duplicates_detected_total", "address", Addresses.FILLS_RECORD)
        - before.value("tradestore_duplicates_detected_total", "address", Addresses.FILLS_RECORD));

    // the gauges catch up with the database within a refresh period
    PrometheusText settled = scrapeUntil(m -> {
      for (OrderStatus status : OrderStatus.values()) {
        if (m.value("tradestore_orders", "status", status.name()) != db.count("orders WHERE status = ?", status.name())) {
          return false;
        }
      }
      return m.value("tradestore_positions_open") == db.count("positions WHERE quantity <> '0'");
    });
    assertTrue(settled.value("tradestore_orders", "status", "PARTIALLY_FILLED") >= 1);
    assertTrue(settled.value("tradestore_orders", "status", "CANCELLED") >= 1);
    assertTrue(settled.value("tradestore_positions_open") >= 2);
  }

  @Test
  void quoteDuplicatesAreCountedOnTheirOwnAddress() throws Exception {
    PrometheusText before = scrape();
    JsonObject body = quote(id("q"), "BTCUSDT", "99", "101");
    bus.ok(Addresses.QUOTES_SUBMIT, body);
    bus.ok(Addresses.QUOTES_SUBMIT, body);
    PrometheusText after = scrape();
    assertEquals(1.0, commands(after, Addresses.QUOTES_SUBMIT, "duplicate") - commands(before, Addresses.QUOTES_SUBMIT, "duplicate"));
    assertEquals(1.0, after.value("tradestore_duplicates_detected_total", "address", Addresses.QUOTES_SUBMIT)
        - before.value("tradestore_duplicates_detected_total", "address", Addresses.QUOTES_SUBMIT));
  }

  @Test
  void retentionCountersAreServedForExactlyTheTablesRetentionPurges() throws Exception {
    Set<String> tables = new HashSet<>();
    scrape().samples.stream().filter(sample -> sample.name().equals("tradestore_retention_rows_removed_total"))
        .forEach(sample -> tables.add(sample.labels().get("table")));
    assertEquals(Set.copyOf(io.tradestore.housekeeping.RetentionCleanup.TABLES), tables,
        "balance history is never removed, so it has no counter");
  }

  @Test
  void theHooksForHousekeepingJobsShowOnTheirMetrics() throws Exception {
    PrometheusText before = scrape();
    var registry = running.engine.registry();
    DomainMetrics.of(registry).quoteExpired();
    DomainMetrics.of(registry).quotesExpired(2);
    MaintenanceMetrics.of(registry).retentionRowsRemoved("fills", 5);
    MaintenanceMetrics.of(registry).retentionRowsRemoved("outbox", 0);
    Instant backup = Instant.parse("2026-01-02T03:04:05.250Z");
    MaintenanceMetrics.of(registry).backupSucceeded(backup);
    MaintenanceMetrics.of(registry).maintenanceSucceeded(backup.plusSeconds(60));
    PrometheusText after = scrape();
    assertEquals(3.0, after.value("tradestore_quotes_expired_total") - before.value("tradestore_quotes_expired_total"));
    assertEquals(5.0, after.value("tradestore_retention_rows_removed_total", "table", "fills")
        - before.value("tradestore_retention_rows_removed_total", "table", "fills"));
    assertEquals(before.value("tradestore_retention_rows_removed_total", "table", "outbox"),
        after.value("tradestore_retention_rows_removed_total", "table", "outbox"));
    assertEquals(backup.toEpochMilli() / 1000.0, after.value("tradestore_backup_last_success_timestamp_seconds"));
    assertEquals(backup.toEpochMilli() / 1000.0 + 60, after.value("tradestore_maintenance_last_success_timestamp_seconds"));
  }

  @Test
  void theStartupRecordsTheMigrationsItAppliedAndTheStorageGauges() throws Exception {
    PrometheusText m = scrape();
    assertEquals(ShippedMigrations.count(), m.value("tradestore_migration_duration_seconds_count"), "a fresh database gets every migration");
    assertEquals(ShippedMigrations.latestVersion(), m.value("tradestore_schema_version"));
    assertTrue(m.value("tradestore_database_size_bytes") > 0);
    m.value("tradestore_database_wal_size_bytes");
  }
}
