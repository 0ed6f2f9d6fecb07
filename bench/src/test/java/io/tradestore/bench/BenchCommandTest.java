package io.tradestore.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness runs end to end in its quickest mode and reports every section. Never asserts on timings. */
class BenchCommandTest {
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void quickRunWritesEverySectionAndTheChart(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("performance.md");
    Files.writeString(report, "# Performance\n\nhand-written text\n\n" + BenchReport.BEGIN + "\nold figures\n" + BenchReport.END + "\n\nmore text\n");
    Path chart = dir.resolve("chart.png");
    int exit = new CommandLine(new BenchCommand()).execute("--quick", "--connections", "2", "--in-flight", "4",
        "--work-dir", dir.resolve("work").toString(), "--report", report.toString(), "--chart", chart.toString());
    assertEquals(0, exit);
    String text = Files.readString(report);
    for (String section : BenchReport.SECTIONS) {
      assertTrue(text.contains(section), "missing " + section + " in\n" + text);
    }
    assertTrue(text.contains("hand-written text") && text.contains("more text"), "text around the markers is kept");
    assertTrue(!text.contains("old figures"), "the generated section is replaced");
    assertEquals(1, text.split("bench:begin", -1).length - 1, "one generated section");
    for (String row : new String[] {"| NORMAL | 1 |", "| FULL | 100 |", "no-op bridge", "in-process fills FULL",
        "in-process mix FULL open 50%", "bridge mix FULL", "per million fills", "engine at FULL / raw 1 per transaction",
        "CPU µs per command", "event loops on ",
        "active alerts / with none", "heap per active alert"}) {
      assertTrue(text.contains(row), "missing " + row + " in\n" + text);
    }
    assertEquals(2, text.split("\\| FULL \\| worker threads", -1).length - 1, "CPU accounts of the fills run and the 50% run");
    assertTrue(Files.size(chart) > 1000, "chart written");

    Matcher batches = Pattern.compile("\\| in-process fills FULL \\| ([\\d,]+) \\| ([\\d.]+) \\|").matcher(text);
    assertTrue(batches.find(), "commands per commit of the fills run in\n" + text);
    assertTrue(Long.parseLong(batches.group(1).replace(",", "")) > 0, "commits counted");
    assertTrue(Double.parseDouble(batches.group(2)) >= 1, "at least one command per commit");

    Matcher heap = Pattern.compile("heap in use at most ([\\d.]+) MiB of max ([\\d.]+) MiB").matcher(text);
    assertTrue(heap.find(), "bench JVM's heap in\n" + text);
    assertTrue(Double.parseDouble(heap.group(1)) <= Double.parseDouble(heap.group(2)), "the heap's peak fits in its maximum");
  }
}
