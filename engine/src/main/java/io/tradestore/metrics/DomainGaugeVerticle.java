package io.tradestore.metrics;

import io.tradestore.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Refreshes the gauges that count rows (orders by status, open positions) from the read pool every few seconds,
 * off the command path. A refresh still running when the next one is due is not doubled.
 */
public final class DomainGaugeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DomainGaugeVerticle.class);

  private final Store store;
  private final DomainMetrics metrics;
  private final long periodMs;
  private long timer = -1;
  private boolean refreshing;

  public DomainGaugeVerticle(Store store, DomainMetrics metrics, long periodMs) {
    this.store = store;
    this.metrics = metrics;
    this.periodMs = periodMs;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(0, periodMs, id -> refresh());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  /** Both counts read an index or a small table: the orders' GROUP BY is a covering scan of orders_by_symbol_status. */
  Future<Void> refresh() {
    if (refreshing) {
      return Future.succeededFuture();
    }
    refreshing = true;
    var pool = store.readers().pool();
    Future<Void> orders = pool.query("SELECT status, count(*) AS n FROM orders GROUP BY status").execute().map(rows -> {
      Map<String, Long> counts = new HashMap<>();
      for (Row row : rows) {
        counts.put(row.getString("status"), row.getLong("n"));
      }
      metrics.ordersByStatus(counts);
      return null;
    });
    // quantities are canonical decimal text: flat is exactly '0'
    Future<Void> positions = pool.query("SELECT count(*) AS n FROM positions WHERE quantity <> '0'").execute()
        .map(rows -> {
          metrics.openPositions(rows.iterator().next().getLong("n"));
          return null;
        });
    return Future.all(orders, positions).<Void>mapEmpty()
        .onFailure(err -> LOG.debug("domain gauges not refreshed: {}", err.getMessage()))
        .eventually(() -> {
          refreshing = false;
          return Future.succeededFuture();
        });
  }
}
