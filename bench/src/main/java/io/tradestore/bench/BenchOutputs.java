package io.tradestore.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a bench run writes its report and its chart. The recorded run lives in the tracked docs/performance.md,
 * so only a run that names that file with {@code --report} rewrites it: without {@code --report} both go into a
 * new temp directory, and without {@code --chart} the chart goes beside the report under its usual name.
 */
record BenchOutputs(Path report, Path chart) {
  static final String CHART_NAME = "performance-throughput-latency.png";

  /** Whether {@link ThroughputLatencyChart} can write a chart under this name exactly as given. */
  static boolean isChartName(Path chart) {
    String name = chart.getFileName() == null ? "" : chart.getFileName().toString();
    return (name.endsWith(".png") || name.endsWith(".svg")) && name.length() > 4;
  }

  /** @param report, chart the options as given, null when absent */
  static BenchOutputs resolve(Path report, Path chart) throws IOException {
    Path reportFile = report != null ? report : Files.createTempDirectory("tradestore-bench-report").resolve("performance.md");
    Path chartFile = chart != null ? chart : reportFile.resolveSibling(CHART_NAME);
    return new BenchOutputs(reportFile, chartFile);
  }
}
