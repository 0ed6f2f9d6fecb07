package io.tradestore.cli;

import io.tradestore.store.migration.MigrationReport;
import io.tradestore.store.migration.MigrationRunException;

import java.io.PrintWriter;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** What {@code migrate up}, {@code down} and {@code up --dry-run} print on stdout, whether they succeed or fail. */
final class RunOutput {
  private RunOutput() { }

  /**
   * Runs {@code run} and prints what it did; when it stops at a failure, prints what it did before the failure
   * the same way, then lets the failure go on to stderr: files committed before a failing one stay committed,
   * and the operator must not have to find them among the log lines.
   */
  static MigrationReport printed(Supplier<MigrationReport> run, Consumer<MigrationReport> print) {
    MigrationReport report;
    try {
      report = run.get();
    } catch (MigrationRunException failed) {
      print.accept(failed.report());
      throw failed;
    }
    print.accept(report);
    return report;
  }

  /** The backup, each file, and the version before and after. */
  static void run(String verb, MigrationReport report, PrintWriter out) {
    if (report.backup() != null) {
      out.println("backup " + report.backup());
    }
    files(verb, report, out);
    out.printf("database at version %d (was %d)%n", report.toVersion(), report.fromVersion());
  }

  /** One line per file: {@code applied 002_b.sql (0.412 ms)}. */
  static void files(String verb, MigrationReport report, PrintWriter out) {
    report.applied().forEach(a -> out.printf("%s %03d_%s.sql (%s ms)%n", verb, a.version(), a.name(),
        MigrationReport.millis(a.durationMs())));
  }
}
