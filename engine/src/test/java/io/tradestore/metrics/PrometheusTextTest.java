package io.tradestore.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The test parser rejects what Prometheus would reject, so that a passing scrape check means something. */
class PrometheusTextTest {
  private static final String GOOD = """
      # HELP a_total A counter.
      # TYPE a_total counter
      a_total{x="1",y="q\\"uote"} 3.0
      # TYPE h_seconds histogram
      h_seconds_bucket{le="0.1"} 1
      h_seconds_bucket{le="+Inf"} 2
      h_seconds_count 2
      h_seconds_sum 0.5
      g NaN
      """;

  @Test
  void aWellFormedExpositionParses() {
    PrometheusText m = PrometheusText.parse(GOOD);
    assertEquals(3.0, m.value("a_total", "y", "q\"uote"));
    assertEquals(2.0, m.value("h_seconds_count"));
  }

  @Test
  void malformedExpositionsAreRejected() {
    for (String bad : new String[] {
        "a-b 1\n",                                   // bad name
        "a{x=1} 1\n",                                // unquoted label value
        "a{x=\"1\"} one\n",                          // bad value
        "a 1\na 2\n",                                // duplicate series
        "a 1\nb 1\na{x=\"1\"} 2\n",                  // family split
        "# TYPE a counter\n# TYPE a gauge\na 1\n",   // two TYPEs
        "# TYPE a counter\na -1\n",                  // negative counter
        "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n", // not cumulative
        "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\nh_sum 1\n",                         // no +Inf
        "a 1"                                        // no final line feed
    }) {
      assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse(bad), bad);
    }
  }
}
