package io.tradestore.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Throughput against reply latency (p50 and p99, log scale) for each engine run: the open-loop points at rising
 * offered rates and the closed-loop point at full load, so a reader sees where latency bends.
 */
final class ThroughputLatencyChart {
  private ThroughputLatencyChart() { }

  static void write(BenchReport report, Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(1000).height(560)
        .title("tradestore: throughput vs reply latency (" + report.date + ")")
        .xAxisTitle("commands/s, mix workload (log)").yAxisTitle("reply latency, ms (log)").build();
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setXAxisLogarithmic(true); // the engine and the no-op bridge are orders of magnitude apart
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
    chart.getStyler().setDecimalPattern("#,##0.##");
    int color = 0;
    for (BenchReport.EngineRuns e : report.engines) {
      List<RunResult> runs = new ArrayList<>(e.open.values());
      runs.add(e.mixClosed);
      series(chart, "in-process " + e.synchronous, runs, COLORS[color++ % COLORS.length]);
      if (e.bridgeClosed != null) {
        series(chart, "bridge " + e.synchronous, List.of(e.bridgeOpenHalf, e.bridgeClosed), COLORS[color++ % COLORS.length]);
      }
    }
    if (report.noopBridge != null) {
      series(chart, "no-op bridge", List.of(report.noopBridge), COLORS[color % COLORS.length]);
    }
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    String name = file.toString();
    if (name.endsWith(".svg")) {
      VectorGraphicsEncoder.saveVectorGraphic(chart, name, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    } else if (name.endsWith(".png")) {
      // XChart appends the format's extension only to a name without it, so this writes exactly `file`
      BitmapEncoder.saveBitmap(chart, name, BitmapEncoder.BitmapFormat.PNG);
    } else {
      throw new IllegalArgumentException("a chart is a .png or .svg file, not " + file);
    }
  }

  /** One colour per run group: its p50 dashed, its p99 solid. */
  private static final java.awt.Color[] COLORS = {new java.awt.Color(0x1f77b4), new java.awt.Color(0xd62728),
      new java.awt.Color(0x2ca02c), new java.awt.Color(0x9467bd), new java.awt.Color(0xff7f0e), new java.awt.Color(0x7f7f7f)};

  private static void series(XYChart chart, String name, List<RunResult> runs, java.awt.Color color) {
    List<RunResult> sorted = runs.stream().filter(r -> r != null && r.latencyMicros().getTotalCount() > 0)
        .sorted(java.util.Comparator.comparingDouble(RunResult::commandsPerSecond)).toList();
    if (sorted.isEmpty()) {
      return;
    }
    double[] x = sorted.stream().mapToDouble(RunResult::commandsPerSecond).toArray();
    for (double p : new double[] {50, 99}) {
      double[] y = sorted.stream().mapToDouble(r -> Math.max(0.01, r.percentileMillis(p))).toArray();
      XYSeries s = chart.addSeries(name + " p" + (int) p, x, y);
      s.setMarker(p == 50 ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
      s.setLineColor(color);
      s.setMarkerColor(color);
      if (p == 50) {
        s.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
      }
    }
  }
}
