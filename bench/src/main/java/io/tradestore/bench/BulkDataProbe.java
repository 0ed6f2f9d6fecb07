package io.tradestore.bench;

import io.tradestore.config.EngineConfig;
import io.tradestore.export.ExportFilters;
import io.tradestore.export.Exporter;
import io.tradestore.importer.ImportSummary;
import io.tradestore.importer.Importer;
import io.tradestore.importer.LocalEngineSink;
import io.tradestore.store.SqliteConnections;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The bulk-data verbs on a database built by plain JDBC: the fills exported as CSV beside a plain {@code sqlite3
 * -csv} dump of the same table (the floor of any export: the table's bytes as stored), and the orders and fills
 * imported from those files into a fresh database through the import's own engine, the path a stopped database
 * takes.
 */
final class BulkDataProbe {
  /** What the bulk-data verbs measured; {@code sqliteSeconds} is NaN when no {@code sqlite3} is on the path. */
  record Result(long fills, double exportColdSeconds, double exportSeconds, long exportBytes, double sqliteSeconds,
                long sqliteBytes,
                long importRows, double importSeconds, long imported, long rejected, int window) {
    double exportRowsPerSecond() {
      return fills / exportSeconds;
    }

    double sqliteRowsPerSecond() {
      return fills / sqliteSeconds;
    }

    double importRowsPerSecond() {
      return importRows / importSeconds;
    }
  }

  private static final int WINDOW = 256;

  private BulkDataProbe() { }

  static Result run(EngineConfig source, EngineConfig target, long fills, Path dir) throws Exception {
    LargeDatabase.build(source, fills);
    Path fillsCsv = dir.resolve("fills.csv");
    Path ordersCsv = dir.resolve("orders.csv");
    export(source, "orders", ordersCsv);
    // the fills twice: the first export in a JVM runs partly interpreted; the second is what the rows of an export
    // of millions (10 M in the words) run at once its first second or so has compiled the code
    long begin = System.nanoTime();
    export(source, "fills", fillsCsv);
    double exportColdSeconds = (System.nanoTime() - begin) / 1e9;
    begin = System.nanoTime();
    export(source, "fills", fillsCsv);
    double exportSeconds = (System.nanoTime() - begin) / 1e9;

    Path dump = dir.resolve("fills-sqlite3.csv");
    double sqliteSeconds = sqliteDump(source.database().path(), dump);

    ImportSummary summary;
    try (LocalEngineSink sink = LocalEngineSink.start(target)) {
      summary = new Importer(sink, WINDOW, false, progress -> { }).run(List.of(ordersCsv, fillsCsv), "csv");
    }
    long imported = summary.files().stream().mapToLong(ImportSummary.FileSummary::imported).sum();
    return new Result(fills, exportColdSeconds, exportSeconds, Files.size(fillsCsv), sqliteSeconds,
        Files.exists(dump) ? Files.size(dump) : 0, summary.rows(), summary.elapsedNanos() / 1e9, imported,
        summary.rejected(), WINDOW);
  }

  private static void export(EngineConfig config, String table, Path file) throws Exception {
    try (Connection c = SqliteConnections.reader(config.database()).getConnection();
         Writer out = Files.newBufferedWriter(file)) {
      Exporter.export(c, table, "csv", new ExportFilters(null, null, null, null), out);
    }
  }

  /** The whole process, as an operator would run it: {@code sqlite3 -csv -header DB 'SELECT * FROM fills ...'}. */
  private static double sqliteDump(Path db, Path out) throws IOException, InterruptedException {
    ProcessBuilder dump = new ProcessBuilder("sqlite3", "-readonly", "-csv", "-header", db.toString(),
        "SELECT * FROM fills ORDER BY id").redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
    long begin = System.nanoTime();
    Process process;
    try {
      process = dump.start();
    } catch (IOException noSqlite) {
      BenchCommand.log("no sqlite3 on the path: the export is measured alone");
      return Double.NaN;
    }
    if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException("sqlite3 -csv did not dump the fills table");
    }
    return (System.nanoTime() - begin) / 1e9;
  }
}
