package io.tradestore.importer;

import io.tradestore.client.TradestoreException;
import io.vertx.core.json.JsonObject;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Feeds import files to a {@link CommandSink} as the live commands they stand for: a bounded window of rows in
 * flight (constant memory), rows of one sequence key applied in file order, retryable answers (503, timeouts, a
 * lost connection) sent again with the same ids, and every other refusal written with its line number to the
 * file's rejects file. A second run of the same files answers every row as a duplicate and writes nothing.
 */
public final class Importer {
  /** Attempts for a row whose answer says it may succeed later unchanged. */
  private static final int ATTEMPTS = 6;

  private final CommandSink sink;
  private final int window;
  private final boolean strict;
  private final Consumer<Progress> progress;

  /** What the progress display reads: the file being imported, how far through it, and the rows so far. */
  public interface Progress {
    Path file();

    double fraction();

    long rows();

    long rejected();
  }

  public Importer(CommandSink sink, int window, boolean strict, Consumer<Progress> progress) {
    if (window < 1) {
      throw new IllegalArgumentException("the window must be positive");
    }
    this.sink = sink;
    this.window = window;
    this.strict = strict;
    this.progress = progress;
  }

  /**
   * Imports {@code files} in order (orders before the fills that name them); {@code format} csv or jsonl, or null
   * to take each file's by its name (jsonl for a {@code .jsonl} file, else csv).
   */
  public ImportSummary run(List<Path> files, String format) throws IOException, InterruptedException {
    long begin = System.nanoTime();
    List<FileRun> runs = new ArrayList<>();
    List<Deferred> atEnd = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    for (Path file : files) {
      FileRun run = new FileRun(file, format != null ? format
          : file.getFileName().toString().endsWith(".jsonl") ? "jsonl" : "csv", stop);
      runs.add(run);
      run.importRows(atEnd);
      if (stop.get()) {
        return new ImportSummary(runs.stream().map(FileRun::summary).toList(), System.nanoTime() - begin, true);
      }
    }
    // the statuses only the venue gives, after every fill: a fill on a cancelled order would be recorded as late
    for (Deferred deferred : atEnd) {
      deferred.run().applyDeferred(deferred);
    }
    for (FileRun run : runs) {
      run.closeRejects();
    }
    return new ImportSummary(runs.stream().map(FileRun::summary).toList(), System.nanoTime() - begin, false);
  }

  /** A step left for after every file, with the outcome of its row's other steps once they are answered. */
  private record Deferred(FileRun run, ImportRow row, ImportKind.Step step, AtomicReference<Outcome> outcome) { }

  private enum Outcome { IMPORTED, DUPLICATE, REJECTED }

  /** One file: its reader, window, tallies and rejects. */
  private final class FileRun implements Progress {
    private final Path file;
    private final String format;
    private final AtomicBoolean stop;
    private final Semaphore slots = new Semaphore(window);
    private final Map<String, CompletableFuture<Void>> lastOfKey = new ConcurrentHashMap<>();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong imported = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final ConcurrentLinkedQueue<String> rejects = new ConcurrentLinkedQueue<>();
    private final Path rejectsFile;
    private volatile ImportReader reader;
    private ImportKind kind;
    private BufferedWriter rejectsOut;

    FileRun(Path file, String format, AtomicBoolean stop) {
      this.file = file;
      this.format = format;
      this.stop = stop;
      this.rejectsFile = file.resolveSibling(file.getFileName() + ".rejects.jsonl");
    }

    void importRows(List<Deferred> atEnd) throws IOException, InterruptedException {
      Files.deleteIfExists(rejectsFile); // an earlier run's: this run's rejects are the ones that count
      try (ImportReader opened = ImportReader.open(file, format)) {
        reader = opened;
        kind = kindOf(opened);
        progress.accept(this);
        while (opened.hasNext() && !stop.get()) {
          ImportRow row = opened.next();
          rows.incrementAndGet();
          slots.acquire();
          if (stop.get()) {
            slots.release();
            break;
          }
          submit(kind, row, atEnd);
          drainRejects();
        }
        slots.acquire(window); // every row of the file answered
        slots.release(window);
      } finally {
        drainRejects();
        if (rejectsOut != null) {
          rejectsOut.flush();
        }
      }
      progress.accept(this);
    }

    void closeRejects() throws IOException {
      drainRejects();
      if (rejectsOut != null) {
        rejectsOut.close();
        rejectsOut = null;
      }
    }

    ImportSummary.FileSummary summary() {
      return new ImportSummary.FileSummary(file, kind == null ? "unknown" : kind.name().toLowerCase(), rows.get(), imported.get(),
          duplicates.get(), rejected.get(), rejected.get() == 0 ? null : rejectsFile);
    }

    private ImportKind kindOf(ImportReader opened) {
      if (opened.columns() != null) {
        return ImportKind.of(opened.columns(), file.toString());
      }
      // JSON lines: the first row's fields say what the file holds (rows are read again from the start)
      try (ImportReader peek = ImportReader.open(file, format)) {
        return ImportKind.of(peek.hasNext() ? peek.next().fields().keySet() : new HashSet<>(), file.toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void submit(ImportKind kind, ImportRow row, List<Deferred> atEnd) {
      String unreadable = row.get(ImportReader.UNREADABLE);
      if (unreadable != null) {
        reject(row, new TradestoreException(400, "INVALID_REQUEST", unreadable, null, null, null));
        slots.release();
        return;
      }
      List<ImportKind.Step> steps = kind.steps(row);
      AtomicReference<Outcome> outcomeOfRow = new AtomicReference<>();
      for (ImportKind.Step step : steps) {
        if (step.atEnd()) {
          atEnd.add(new Deferred(this, row, step, outcomeOfRow));
        }
      }
      List<ImportKind.Step> now = steps.stream().filter(step -> !step.atEnd()).toList();
      String key = kind.sequenceKey(row);
      CompletableFuture<Void> done = new CompletableFuture<>();
      CompletableFuture<Void> previous = key == null ? null : lastOfKey.put(key, done);
      Runnable start = () -> apply(row, now, 0, true).whenComplete((outcome, failure) -> {
        outcomeOfRow.set(count(row, outcome, failure));
        if (key != null) {
          lastOfKey.remove(key, done);
        }
        slots.release();
        done.complete(null);
      });
      if (previous == null) {
        start.run();
      } else {
        previous.whenComplete((v, e) -> start.run());
      }
    }

    /** The row's steps in order; the first decides whether the row was new or a duplicate. */
    private CompletableFuture<Outcome> apply(ImportRow row, List<ImportKind.Step> steps, int index, boolean first) {
      if (index == steps.size()) {
        return CompletableFuture.completedFuture(Outcome.IMPORTED);
      }
      ImportKind.Step step = steps.get(index);
      return send(step, 1).thenCompose(reply -> {
        CompletableFuture<Outcome> rest = apply(row, steps, index + 1, false);
        return first && reply.getBoolean("duplicate", false) ? rest.thenApply(o -> Outcome.DUPLICATE) : rest;
      });
    }

    private CompletableFuture<JsonObject> send(ImportKind.Step step, int attempt) {
      return sink.request(step.address(), step.body()).handle((reply, failure) -> {
        if (failure == null) {
          return CompletableFuture.completedFuture(reply);
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
            : failure;
        if (cause instanceof TradestoreException refused && refused.retryable() && attempt < ATTEMPTS) {
          CompletableFuture<JsonObject> later = new CompletableFuture<>();
          CompletableFuture.delayedExecutor(50L << attempt, TimeUnit.MILLISECONDS)
              .execute(() -> send(step, attempt + 1).whenComplete((r, e) -> {
                if (e == null) {
                  later.complete(r);
                } else {
                  later.completeExceptionally(e);
                }
              }));
          return later;
        }
        return CompletableFuture.<JsonObject>failedFuture(cause);
      }).thenCompose(future -> future);
    }

    private Outcome count(ImportRow row, Outcome outcome, Throwable failure) {
      if (failure == null) {
        (outcome == Outcome.DUPLICATE ? duplicates : imported).incrementAndGet();
        return outcome;
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
          : failure;
      reject(row, cause instanceof TradestoreException refused ? refused
          : new TradestoreException(500, "INTERNAL", String.valueOf(cause), null, null, null));
      return Outcome.REJECTED;
    }

    private void reject(ImportRow row, TradestoreException refused) {
      rejected.incrementAndGet();
      JsonObject fields = new JsonObject();
      row.fields().forEach((name, value) -> {
        if (!name.equals(ImportReader.UNREADABLE)) {
          fields.put(name, value);
        }
      });
      rejects.add(new JsonObject().put("line", row.line()).put("code", refused.code()).put("error", refused.error())
          .put("field", refused.field()).put("reason", refused.reason()).put("address", refused.address())
          .put("row", fields).encode());
      if (strict) {
        stop.set(true);
      }
    }

    /** A row's closing status; a row already rejected has none, and one refused here moves to the rejected. */
    void applyDeferred(Deferred deferred) throws IOException {
      Outcome before = deferred.outcome().get();
      if (before == null || before == Outcome.REJECTED) {
        return;
      }
      try {
        send(deferred.step(), 1).join();
      } catch (CompletionException e) {
        Throwable cause = e.getCause();
        reject(deferred.row(), cause instanceof TradestoreException refused ? refused
            : new TradestoreException(500, "INTERNAL", String.valueOf(cause), null, null, null));
        (before == Outcome.DUPLICATE ? duplicates : imported).decrementAndGet();
        drainRejects();
      }
    }

    /** The rejects so far, written by the reading thread only, in the order they were answered. */
    private void drainRejects() throws IOException {
      String line;
      while ((line = rejects.poll()) != null) {
        if (rejectsOut == null) {
          rejectsOut = Files.newBufferedWriter(rejectsFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
        }
        rejectsOut.write(line);
        rejectsOut.newLine();
      }
    }

    @Override
    public Path file() {
      return file;
    }

    @Override
    public double fraction() {
      ImportReader current = reader;
      return current == null ? 0 : current.fraction();
    }

    @Override
    public long rows() {
      return rows.get();
    }

    @Override
    public long rejected() {
      return rejected.get();
    }
  }
}
