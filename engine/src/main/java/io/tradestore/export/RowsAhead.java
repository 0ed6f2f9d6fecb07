package io.tradestore.export;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A query's rows (each one value, as its UTF-8 bytes), read on a thread of its own a few batches ahead of the
 * thread that formats and writes them: reading from SQLite and formatting take about as long as each other, so an
 * export on two cores takes the longer of them rather than their sum. At most {@link #BATCHES_AHEAD} batches wait,
 * however large the table. The connection is used by the reading thread only, until {@link #close()} returns.
 */
final class RowsAhead implements AutoCloseable {
  private static final int BATCH = 512;
  private static final int BATCHES_AHEAD = 4;
  private static final byte[][] END = new byte[0][];

  private final BlockingQueue<byte[][]> batches = new ArrayBlockingQueue<>(BATCHES_AHEAD);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread reader;
  private volatile boolean abandoned;

  RowsAhead(Connection c, ExportTable.ExportQuery query) {
    reader = new Thread(() -> read(c, query), "export-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** The next batch of rows, or null after the last. */
  byte[][] next() throws IOException, SQLException {
    byte[][] batch;
    try {
      batch = batches.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("export interrupted");
    }
    if (batch == END) {
      batches.add(END); // a later call sees the end again
      Throwable failed = failure.get();
      if (failed instanceof SQLException sql) {
        throw sql;
      }
      if (failed != null) {
        // the reader stopped short: never let the export end as if the table had no more rows
        throw new IOException("export read failed: " + failed, failed);
      }
      return null;
    }
    return batch;
  }

  /** Stops the reading thread (when the writing side gave up early) and waits for it to let go of the connection. */
  @Override
  public void close() {
    abandoned = true;
    batches.clear();
    try {
      reader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void read(Connection c, ExportTable.ExportQuery query) {
    try (PreparedStatement ps = c.prepareStatement(query.sql())) {
      for (int i = 0; i < query.args().size(); i++) {
        ps.setObject(i + 1, query.args().get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        byte[][] batch = new byte[BATCH][];
        int n = 0;
        while (rs.next()) {
          batch[n++] = rs.getBytes(1);
          if (n == BATCH) {
            if (!hand(batch)) {
              return;
            }
            batch = new byte[BATCH][];
            n = 0;
          }
        }
        if (n > 0) {
          hand(Arrays.copyOf(batch, n));
        }
      }
    } catch (SQLException | RuntimeException | Error e) {
      failure.set(e);
    } finally {
      hand(END);
    }
  }

  /** Waits for room for the batch; false once the writing side has gone. */
  private boolean hand(byte[][] batch) {
    try {
      while (!abandoned) {
        if (batches.offer(batch, 100, TimeUnit.MILLISECONDS)) {
          return true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }
}
