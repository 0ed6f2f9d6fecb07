package io.tradestore.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench's options are checked before anything runs, so none of these tests starts a benchmark. */
class BenchOptionsTest {
  @TempDir Path dir;

  private String refusal(String... args) {
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err)).execute(args);
    assertEquals(2, exit, "a usage error; stderr:\n" + err);
    return err.toString();
  }

  @Test
  void aNegativeOrZeroDurationIsAUsageErrorNamingTheOption() {
    assertTrue(refusal("--duration", "-1").contains("--duration must be greater than 0"));
    assertTrue(refusal("--duration", "0").contains("--duration"));
    assertTrue(refusal("--raw-duration", "NaN").contains("--raw-duration"));
  }

  @Test
  void negativeWarmUpsSoaksAndNonPositiveCountsAreUsageErrorsNamingTheOption() {
    assertTrue(refusal("--warmup", "-0.5").contains("--warmup must be 0 or more"));
    assertTrue(refusal("--jit-warmup", "-1").contains("--jit-warmup"));
    assertTrue(refusal("--soak", "-2").contains("--soak"));
    assertTrue(refusal("--connections", "0").contains("--connections"));
    assertTrue(refusal("--in-flight", "-4").contains("--in-flight"));
    assertTrue(refusal("--large-fills", "0").contains("--large-fills"));
    assertTrue(refusal("--rates", "0.5,-0.25").contains("--rates"));
  }

  @Test
  void aChartNameThatIsNeitherPngNorSvgIsAUsageErrorAndNothingIsWritten() {
    Path gif = dir.resolve("c.gif");
    assertTrue(refusal("--chart", gif.toString(), "--report", dir.resolve("p.md").toString()).contains("--chart must name a .png or .svg"));
    assertFalse(Files.exists(gif));
    assertFalse(Files.exists(dir.resolve("c.gif.png")));
    assertFalse(Files.exists(dir.resolve("p.md")));
  }

  @Test
  void withoutReportTheReportAndChartGoIntoANewTempDirectoryNotTheTrackedDocs() throws Exception {
    BenchOutputs outputs = BenchOutputs.resolve(null, null);
    Path temp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    assertTrue(outputs.report().toAbsolutePath().startsWith(temp), outputs.report().toString());
    assertNotEquals(Path.of("docs/performance.md").toAbsolutePath(), outputs.report().toAbsolutePath());
    assertEquals(outputs.report().resolveSibling(BenchOutputs.CHART_NAME), outputs.chart());
    Files.delete(outputs.report().getParent());
  }

  @Test
  void anExplicitReportAndChartAreUsedExactlyAsGiven() throws Exception {
    assertEquals(new BenchOutputs(Path.of("docs/performance.md"), Path.of("docs/" + BenchOutputs.CHART_NAME)),
        BenchOutputs.resolve(Path.of("docs/performance.md"), null), "the recorded run, chart beside it as before");
    assertEquals(Path.of("x/c.svg"), BenchOutputs.resolve(dir.resolve("p.md"), Path.of("x/c.svg")).chart());
    assertTrue(BenchOutputs.isChartName(Path.of("c.png")));
    assertFalse(BenchOutputs.isChartName(Path.of("c.gif")));
    assertFalse(BenchOutputs.isChartName(Path.of(".png")));
  }
}
