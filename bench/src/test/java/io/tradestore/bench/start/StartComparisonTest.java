package io.tradestore.bench.start;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI start comparison run for real: separate JVMs of both tools on generated migrations. */
class StartComparisonTest {
  @TempDir Path tmp;

  /** tradestore from the build's class path; Flyway on flyway-core, sqlite-jdbc and FlywayVerb's class file alone. */
  private StartComparison.Launchers launchers() throws Exception {
    String flywayJars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> entry.contains("flyway-core") || entry.contains("sqlite-jdbc"))
        .collect(Collectors.joining(File.pathSeparator));
    Path verbClass = CliStartCommand.extractFlywayVerb(tmp.resolve("classes"));
    return new StartComparison.Launchers(CliStartCommand.javaCommand(),
        List.of("-Dtradestore.cache.dir=" + tmp.resolve("cache"), "-cp", System.getProperty("java.class.path"),
            "io.tradestore.cli.Main"),
        List.of("-cp", verbClass + File.pathSeparator + flywayJars, FlywayVerb.class.getName()));
  }

  @Test
  void bothToolsRunEachVerbOnTheSameMigrationsAndTheReportPutsThemSideBySide() throws Exception {
    List<StartComparison.Timing> timings = new StartComparison(launchers(), tmp.resolve("work"), 6,
        Map.of("plain", List.of("-XX:TieredStopAtLevel=1")), line -> { }).run(0, 2);

    assertEquals(6, timings.size(), "three verbs of each tool");
    for (StartComparison.Timing timing : timings) {
      assertEquals(2, timing.millis().length);
      assertTrue(timing.min() > 0 && timing.median() <= timing.max(), timing.toString());
    }
    String report = StartReport.markdown(timings, 6, 0, 2, "test machine.");
    assertTrue(report.contains("| `migrate status` |") && report.contains("| `info` |"), report);
    assertTrue(report.contains("| `migrate verify` |") && report.contains("| `validate` |"), report);
    assertTrue(report.contains("| `migrate up` |") && report.contains("| `migrate` |"), report);
    assertTrue(report.lines().filter(l -> l.matches("\\| `migrate \\w+` \\| \\d+ \\(\\d+–\\d+\\) .* \\| \\d+\\.\\d\\d \\|"))
        .count() == 3, report);
  }

  @Test
  void aRunThatFailsStopsTheComparisonNamingTheToolAndVerb() throws Exception {
    StartComparison.Launchers good = launchers();
    StartComparison.Launchers flywayMissing = new StartComparison.Launchers(good.java(), good.tradestore(),
        List.of("-cp", tmp.resolve("classes").toString(), FlywayVerb.class.getName()));

    IllegalStateException failure = assertThrows(IllegalStateException.class, () ->
        new StartComparison(flywayMissing, tmp.resolve("work"), 2, Map.of("plain", List.of()), line -> { }).run(0, 1));
    assertTrue(failure.getMessage().startsWith("Flyway migrate"), failure.getMessage());
  }
}
