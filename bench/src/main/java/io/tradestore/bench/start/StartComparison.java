package io.tradestore.bench.start;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Whole-process wall time of tradestore's {@code migrate status}, {@code verify} and a no-op {@code up} beside
 * Flyway's {@code info}, {@code validate} and no-op {@code migrate} on the same migrations, under each set of JVM
 * options, for both tools alike. Rounds are interleaved (each round runs every case once), so that a change of load
 * on a shared machine falls on all cases alike; the first rounds warm the page cache and are not recorded. Every run
 * is checked to have done its job (exit 0 and the expected answer): a fast failure is not a fast start.
 */
final class StartComparison {
  /** How each tool is started: what follows {@code java} and its options (e.g. {@code -jar tradestore.jar}). */
  record Launchers(String java, List<String> tradestore, List<String> flyway) { }

  /** One command timed: the tool, its verb, the JVM options, and what its output must show. */
  record Case(String tool, String verb, String jvm, List<String> command, Predicate<String> answered) { }

  /** The samples of one case, in milliseconds. */
  record Timing(Case measured, long[] millis) {
    long median() {
      long[] sorted = millis.clone();
      Arrays.sort(sorted);
      int n = sorted.length;
      return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    long min() {
      return Arrays.stream(millis).min().orElse(0);
    }

    long max() {
      return Arrays.stream(millis).max().orElse(0);
    }
  }

  /** The verbs side by side: tradestore's, Flyway's that does the same job. */
  static final List<String[]> VERBS = List.of(
      new String[] {"status", "info"}, new String[] {"verify", "validate"}, new String[] {"up", "migrate"});

  private final Launchers launchers;
  private final Path work;
  private final int migrations;
  private final Map<String, List<String>> jvmOptions;
  private final Consumer<String> progress;

  StartComparison(Launchers launchers, Path work, int migrations, Map<String, List<String>> jvmOptions,
                  Consumer<String> progress) {
    this.launchers = launchers;
    this.work = work;
    this.migrations = migrations;
    this.jvmOptions = jvmOptions;
    this.progress = progress;
  }

  /** Applies the migrations once with each tool, then times {@code rounds} rounds after {@code warmups} unrecorded ones. */
  List<Timing> run(int warmups, int rounds) throws IOException, InterruptedException {
    MigrationSet set = MigrationSet.write(Files.createDirectories(work.resolve("migrations")), migrations);
    Path tradestoreDb = work.resolve("tradestore.db");
    String flywayUrl = "jdbc:sqlite:" + work.resolve("flyway.db").toAbsolutePath();
    List<Case> cases = cases(set, tradestoreDb, flywayUrl);
    progress.accept("applying " + migrations + " migrations with each tool");
    runChecked(cases.stream().filter(c -> c.verb().equals("up")).findFirst().orElseThrow(), "applied");
    runChecked(cases.stream().filter(c -> c.verb().equals("migrate")).findFirst().orElseThrow(), "executed " + migrations);

    Map<Case, long[]> samples = new LinkedHashMap<>();
    cases.forEach(c -> samples.put(c, new long[rounds]));
    for (int round = 0; round < warmups + rounds; round++) {
      progress.accept((round < warmups ? "warm-up round " + (round + 1) : "round " + (round - warmups + 1) + " of " + rounds));
      for (Case c : cases) {
        long millis = runChecked(c, null);
        if (round >= warmups) {
          samples.get(c)[round - warmups] = millis;
        }
      }
    }
    List<Timing> timings = new ArrayList<>();
    samples.forEach((c, millis) -> timings.add(new Timing(c, millis)));
    return timings;
  }

  private List<Case> cases(MigrationSet set, Path tradestoreDb, String flywayUrl) {
    String n = String.valueOf(migrations);
    List<String> at = List.of("--db", tradestoreDb.toString(), "--dir", set.tradestoreDir().toString());
    List<Case> cases = new ArrayList<>();
    jvmOptions.forEach((name, options) -> {
      cases.add(tradestore("status", name, options, at, out -> out.contains("version " + n + ", 0 pending")));
      cases.add(tradestore("verify", name, options, at, out -> out.startsWith("ok:")));
      cases.add(tradestore("up", name, options, at, out -> out.contains("(was " + n + ")")));
      cases.add(flyway("info", name, options, flywayUrl, set, out -> out.contains("applied " + n + " pending 0")));
      cases.add(flyway("validate", name, options, flywayUrl, set, out -> out.contains("valid") && !out.contains("invalid")));
      cases.add(flyway("migrate", name, options, flywayUrl, set, out -> out.contains("executed 0")));
    });
    return cases;
  }

  private Case tradestore(String verb, String jvm, List<String> options, List<String> at, Predicate<String> answered) {
    List<String> command = new ArrayList<>();
    command.add(launchers.java());
    command.addAll(options);
    command.addAll(launchers.tradestore());
    command.addAll(List.of("migrate", verb));
    command.addAll(at);
    return new Case("tradestore", verb, jvm, command, answered);
  }

  private Case flyway(String verb, String jvm, List<String> options, String url, MigrationSet set,
                      Predicate<String> answered) {
    List<String> command = new ArrayList<>();
    command.add(launchers.java());
    command.addAll(options);
    command.addAll(launchers.flyway());
    command.addAll(List.of(verb, url, set.flywayDir().toString()));
    return new Case("Flyway", verb, jvm, command, answered);
  }

  /** Wall milliseconds from start to exit; fails unless it exited 0 with the expected answer. */
  private long runChecked(Case c, String firstRunAnswer) throws IOException, InterruptedException {
    Path out = work.resolve("out.txt");
    Path err = work.resolve("err.txt");
    ProcessBuilder builder = new ProcessBuilder(c.command()).directory(work.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    long start = System.nanoTime();
    Process process = builder.start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException(c.tool() + " " + c.verb() + " did not end within 2 minutes");
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    String output = Files.readString(out);
    boolean answered = firstRunAnswer != null ? output.contains(firstRunAnswer) : c.answered().test(output);
    if (process.exitValue() != 0 || !answered) {
      throw new IllegalStateException(c.tool() + " " + c.verb() + " (" + String.join(" ", c.command()) + ") exited "
          + process.exitValue() + " with:\n" + output + Files.readString(err));
    }
    return millis;
  }
}
