package io.tradestore.bench.start;

import io.tradestore.bench.start.StartComparison.Timing;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The comparison as a Markdown table per set of JVM options: each verb's median (min–max) and tradestore/Flyway. */
final class StartReport {
  private StartReport() { }

  static String markdown(List<Timing> timings, int migrations, int warmups, int rounds, String machine) {
    StringBuilder md = new StringBuilder();
    md.append("Whole-process wall time, ms: median (min–max) of ").append(rounds).append(" interleaved rounds after ")
        .append(warmups).append(" unrecorded, on ").append(migrations).append(" migrations already applied. ")
        .append(machine).append("\n");
    Set<String> jvms = new LinkedHashSet<>();
    timings.forEach(t -> jvms.add(t.measured().jvm()));
    for (String jvm : jvms) {
      md.append("\n").append(jvm).append(":\n\n")
          .append("| tradestore | ms | Flyway 13.12 | ms | tradestore / Flyway |\n")
          .append("|---|---:|---|---:|---:|\n");
      for (String[] verbs : StartComparison.VERBS) {
        Timing ours = find(timings, "tradestore", verbs[0], jvm);
        Timing theirs = find(timings, "Flyway", verbs[1], jvm);
        md.append("| `migrate ").append(verbs[0]).append("` | ").append(range(ours))
            .append(" | `").append(verbs[1]).append("` | ").append(range(theirs)).append(" | ")
            .append(String.format(Locale.ROOT, "%.2f", (double) ours.median() / theirs.median())).append(" |\n");
      }
    }
    return md.toString();
  }

  private static String range(Timing t) {
    return t.median() + " (" + t.min() + "–" + t.max() + ")";
  }

  private static Timing find(List<Timing> timings, String tool, String verb, String jvm) {
    return timings.stream()
        .filter(t -> t.measured().tool().equals(tool) && t.measured().verb().equals(verb) && t.measured().jvm().equals(jvm))
        .findFirst().orElseThrow(() -> new IllegalStateException("no timing of " + tool + " " + verb + " " + jvm));
  }
}
