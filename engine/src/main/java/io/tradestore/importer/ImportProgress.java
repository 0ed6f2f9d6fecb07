package io.tradestore.importer;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Shows how an import goes: on a terminal, a bar redrawn in place with the rate and the time left; otherwise (a
 * log, a pipe) a plain line every few seconds, so that a log is not flooded with carriage returns.
 */
public final class ImportProgress implements Consumer<Importer.Progress>, AutoCloseable {
  private static final int BAR = 30;

  private final PrintStream out;
  private final boolean terminal;
  private final ScheduledExecutorService ticks;
  private volatile Importer.Progress current;
  private long fileStartNanos;
  private long lastRows;
  private boolean drewBar;

  public ImportProgress(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
    this.ticks = Executors.newSingleThreadScheduledExecutor(run -> {
      Thread thread = new Thread(run, "import-progress");
      thread.setDaemon(true);
      return thread;
    });
    long period = terminal ? 200 : 5_000;
    ticks.scheduleAtFixedRate(this::show, period, period, TimeUnit.MILLISECONDS);
  }

  /** Told by the importer when a file starts and when it ends. */
  @Override
  public synchronized void accept(Importer.Progress progress) {
    if (progress != current) {
      current = progress;
      fileStartNanos = System.nanoTime();
      lastRows = 0;
    } else {
      show();
    }
  }

  private synchronized void show() {
    Importer.Progress progress = current;
    if (progress == null || (!terminal && progress.rows() == lastRows)) {
      return;
    }
    lastRows = progress.rows();
    double seconds = Math.max(1e-3, (System.nanoTime() - fileStartNanos) / 1e9);
    double fraction = progress.fraction();
    long rate = Math.round(progress.rows() / seconds);
    String left = fraction <= 0 ? "?" : duration(seconds * (1 - fraction) / fraction);
    String figures = String.format("%s: %3.0f%% %,d rows, %,d rejected, %,d rows/s, %s left",
        progress.file().getFileName(), fraction * 100, progress.rows(), progress.rejected(), rate, left);
    if (terminal) {
      int filled = (int) Math.round(fraction * BAR);
      out.print("\r[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " + figures + "   ");
      drewBar = true;
    } else {
      out.println("import " + figures);
    }
    out.flush();
  }

  private static String duration(double seconds) {
    long s = Math.round(seconds);
    return s < 60 ? s + " s" : s / 60 + " min " + s % 60 + " s";
  }

  @Override
  public synchronized void close() {
    ticks.shutdownNow();
    if (drewBar) {
      out.println();
    }
  }
}
