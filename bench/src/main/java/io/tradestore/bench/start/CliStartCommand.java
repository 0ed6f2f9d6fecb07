package io.tradestore.bench.start;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code tradestore-bench cli-start}: the CLI's whole-process start beside Flyway's, on generated migrations. Run from
 * the built jars: tradestore as users start it ({@code java -jar target/tradestore.jar}), Flyway on flyway-core and
 * sqlite-jdbc alone ({@code target/flyway/}, copied there by the bench module's build).
 */
@Command(name = "cli-start", mixinStandardHelpOptions = true,
    description = "Time tradestore's migrate status|verify|up beside Flyway's info|validate|migrate, as whole processes.")
public final class CliStartCommand implements Callable<Integer> {
  @Option(names = "--migrations", defaultValue = "200", description = "Migrations generated for both tools. Default ${DEFAULT-VALUE}.")
  int migrations;

  @Option(names = "--rounds", defaultValue = "9", description = "Recorded rounds. Default ${DEFAULT-VALUE}.")
  int rounds;

  @Option(names = "--warmups", defaultValue = "2", description = "Unrecorded rounds first. Default ${DEFAULT-VALUE}.")
  int warmups;

  @Option(names = "--jars", description = "Folder holding tradestore.jar and flyway/ (default: the folder of this jar).")
  Path jars;

  @Option(names = "--report", description = "Also write the Markdown table into this file (default: printed only).")
  Path report;

  /** JVM options run for both tools: the defaults, and the start-up options docs/performance.md recommends. */
  static final Map<String, List<String>> JVM_OPTIONS = jvmOptions();

  private static Map<String, List<String>> jvmOptions() {
    Map<String, List<String>> options = new LinkedHashMap<>();
    options.put("Default JVM options", List.of());
    options.put("Both with -XX:TieredStopAtLevel=1 -XX:+UseSerialGC", List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    return options;
  }

  @Override
  public Integer call() throws Exception {
    if (migrations < 1 || rounds < 1 || warmups < 0) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "--migrations and --rounds must be at least 1, --warmups at least 0");
    }
    Path folder = jars != null ? jars : ownFolder();
    Path tradestoreJar = folder.resolve("tradestore.jar");
    Path flywayLib = folder.resolve("flyway");
    if (!Files.isRegularFile(tradestoreJar) || !Files.isDirectory(flywayLib)) {
      System.err.println("tradestore-bench cli-start: needs " + tradestoreJar + " and " + flywayLib
          + "/ (mvn -B package builds both)");
      return 2;
    }
    Path work = Files.createTempDirectory("tradestore-cli-start-");
    try {
      Path verbClass = extractFlywayVerb(work.resolve("classes"));
      StartComparison.Launchers launchers = new StartComparison.Launchers(javaCommand(),
          List.of("-Dtradestore.cache.dir=" + work.resolve("cache"), "-jar", tradestoreJar.toString()),
          List.of("-cp", verbClass + ":" + flywayLib + "/*", FlywayVerb.class.getName()));
      List<StartComparison.Timing> timings = new StartComparison(launchers, work, migrations, JVM_OPTIONS,
          line -> System.err.println("cli-start: " + line)).run(warmups, rounds);
      String markdown = StartReport.markdown(timings, migrations, warmups, rounds, machine());
      System.out.print(markdown);
      if (report != null) {
        Files.writeString(report, markdown);
      }
      return 0;
    } finally {
      deleteTree(work);
    }
  }

  static String javaCommand() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** The JVM, the cores and the load average as the run starts: the figures mean little on a busy machine. */
  static String machine() {
    String load;
    try {
      load = String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).trim().split(" "), 3));
    } catch (IOException e) {
      load = "unknown";
    }
    return "Java " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cores, load average "
        + load + " at the start.";
  }

  /** FlywayVerb's class file, copied out of this jar so that Flyway's class path holds nothing else of ours. */
  static Path extractFlywayVerb(Path classes) throws IOException {
    String name = FlywayVerb.class.getName().replace('.', '/') + ".class";
    Path file = classes.resolve(name);
    Files.createDirectories(file.getParent());
    try (InputStream in = FlywayVerb.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("no " + name + " on the class path");
      }
      Files.copy(in, file);
    }
    return classes;
  }

  private static Path ownFolder() {
    try {
      return Path.of(CliStartCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
