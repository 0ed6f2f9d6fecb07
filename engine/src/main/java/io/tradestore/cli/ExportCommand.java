package io.tradestore.cli;

import io.tradestore.config.EngineConfig;
import io.tradestore.export.ExportFilters;
import io.tradestore.export.Exporter;
import io.tradestore.store.SqliteConnections;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

/**
 * Writes a table of a live or stopped database as CSV or JSON lines, through a read-only connection: the writer is
 * never held up. With {@code --out} the file appears whole or not at all (written beside it, then moved).
 */
@Command(name = "export", description = "Export fills, orders, positions, balances, balance-history or events "
    + "as CSV or JSON lines, from a live or stopped database.")
public final class ExportCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options = new ConfigOptions();

  @Parameters(index = "0", paramLabel = "WHAT",
      description = "fills, orders, positions, balances, balance-history or events")
  String what;

  @Option(names = "--account", paramLabel = "A", description = "Only this account's rows.")
  String account;

  @Option(names = "--symbol", paramLabel = "S", description = "Only this symbol's rows (fills, orders, positions).")
  String symbol;

  @Option(names = "--from", paramLabel = "T", description = "From this time, included (ISO-8601 or epoch ms).")
  String from;

  @Option(names = "--to", paramLabel = "T", description = "Up to this time, excluded (ISO-8601 or epoch ms).")
  String to;

  @Option(names = "--format", paramLabel = "csv|jsonl", defaultValue = "csv", description = "Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(names = "--out", paramLabel = "FILE", description = "Write here (must not exist) instead of standard output.")
  Path out;

  @Override
  public Integer call() throws Exception {
    EngineConfig config = CommandConfig.load(options);
    Path db = config.database().path();
    if (!Files.isRegularFile(db)) {
      throw new IllegalArgumentException("no database at " + db);
    }
    ExportFilters filters = new ExportFilters(account, symbol, time("--from", from), time("--to", to));
    if (out != null && Files.exists(out)) {
      throw new IllegalArgumentException(out + " exists; export writes a new file");
    }
    long begin = System.nanoTime();
    long rows;
    try (Connection c = SqliteConnections.reader(config.database()).getConnection()) {
      if (out == null) {
        Writer stdout = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        rows = Exporter.export(c, what, format, filters, stdout);
        stdout.flush();
      } else {
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        try (Writer file = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
          rows = Exporter.export(c, what, format, filters, file);
        } catch (Exception e) {
          Files.deleteIfExists(partial);
          throw e;
        }
        Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    System.err.printf("exported %d %s row(s)%s in %d ms%n", rows, what, out == null ? "" : " to " + out.toAbsolutePath(),
        (System.nanoTime() - begin) / 1_000_000);
    return 0;
  }

  private static Long time(String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      return value.chars().allMatch(Character::isDigit) ? Long.parseLong(value) : Instant.parse(value).toEpochMilli();
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException(option + " must be ISO-8601 (2026-11-01T00:00:00Z) or epoch milliseconds, not '"
          + value + "'");
    }
  }
}
