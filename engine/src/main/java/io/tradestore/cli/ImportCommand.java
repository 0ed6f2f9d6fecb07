package io.tradestore.cli;

import io.tradestore.client.ClientOptions;
import io.tradestore.config.EngineConfig;
import io.tradestore.importer.BridgeSink;
import io.tradestore.importer.CommandSink;
import io.tradestore.importer.ImportProgress;
import io.tradestore.importer.ImportSummary;
import io.tradestore.importer.Importer;
import io.tradestore.importer.LocalEngineSink;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Feeds orders and fills files (the export's own format, or the documented columns) to a running engine through
 * its bridge ({@code --to}), or to a stopped database through an engine started here on it: the same validation,
 * idempotency and events as live messages, so that a second run of the same files changes nothing.
 */
@Command(name = "import", description = "Import orders and fills (CSV or JSON lines, as export writes them) into a "
    + "running engine (--to HOST:PORT) or a stopped database (--db PATH, or the configured one).")
public final class ImportCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options = new ConfigOptions();

  @Spec
  CommandSpec spec;

  /** An engine of the import's own on the database: no listeners, no retention or backups while it runs. */
  private static final Map<String, Object> LOCAL_ENGINE = Map.of("bridge.enabled", false, "http.enabled", false,
      "retention.atStartup", false, "backup.intervalMinutes", 0);

  @Parameters(arity = "1..*", paramLabel = "FILE",
      description = "Files in order: orders before the fills that name them.")
  List<Path> files;

  @Option(names = "--format", paramLabel = "csv|jsonl",
      description = "Default: by each file's name, jsonl for a .jsonl file, else csv.")
  String format;

  @Option(names = "--to", paramLabel = "HOST:PORT", description = "A running engine's bridge.")
  String to;

  @Option(names = "--token-file", paramLabel = "FILE", description = "The access token for --to, read from this file.")
  Path tokenFile;

  @Option(names = "--tls-ca", paramLabel = "PEM", description = "Speak TLS to --to, trusting this CA certificate.")
  Path tlsCa;

  @Option(names = "--strict", description = "Stop at the first rejected row (the rows before it stay imported).")
  boolean strict;

  @Option(names = "--window", paramLabel = "N", defaultValue = "64",
      description = "Rows in flight at once. Default: ${DEFAULT-VALUE}.")
  int window;

  @Override
  public Integer call() throws Exception {
    // the configuration first: an error in it is the deployment's (exit 2), whatever else is wrong
    EngineConfig local = to == null ? CommandConfig.load(options, LOCAL_ENGINE) : null;
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("no file " + file);
      }
    }
    if (window < 1 || window > 10_000) {
      throw new IllegalArgumentException("--window must be from 1 to 10000, not " + window);
    }
    ImportSummary summary;
    try (CommandSink sink = local == null ? bridge() : LocalEngineSink.start(local);
         ImportProgress progress = new ImportProgress(System.err, System.console() != null)) {
      spec.commandLine().getErr().println("importing into " + sink.describe());
      summary = new Importer(sink, window, strict, progress).run(files, format);
    }
    PrintWriter out = spec.commandLine().getOut();
    for (ImportSummary.FileSummary file : summary.files()) {
      out.printf("%s (%s): %,d rows: %,d imported, %,d duplicates, %,d rejected%s%n", file.file(), file.kind(),
          file.rows(), file.imported(), file.duplicates(), file.rejected(),
          file.rejects() == null ? "" : " (line numbers and reasons in " + file.rejects() + ")");
    }
    double seconds = summary.elapsedNanos() / 1e9;
    out.printf("%,d rows in %.1f s (%,.0f rows/s)%s%n", summary.rows(), seconds, summary.rows() / Math.max(seconds, 1e-3),
        summary.stoppedByStrict() ? "; stopped at the first rejected row (--strict)" : "");
    out.flush();
    return summary.rejected() == 0 ? 0 : ExitCodes.FAILURE;
  }

  private CommandSink bridge() throws Exception {
    if (options.database() != null) {
      throw new ConfigurationError("--to and --db name two targets; give one", null);
    }
    int colon = to.lastIndexOf(':');
    int port;
    try {
      port = Integer.parseInt(to.substring(colon + 1));
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new ConfigurationError("--to must be HOST:PORT, not '" + to + "'", e);
    }
    ClientOptions client = ClientOptions.of(colon <= 0 ? "127.0.0.1" : to.substring(0, colon), port);
    if (tokenFile != null) {
      client.token(Files.readString(tokenFile).strip());
    }
    if (tlsCa != null) {
      client.tls(new ClientSSLOptions().setTrustOptions(new PemTrustOptions().addCertPath(tlsCa.toString())));
    }
    return BridgeSink.connect(client);
  }
}
