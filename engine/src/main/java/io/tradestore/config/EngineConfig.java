package io.tradestore.config;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The engine's whole configuration, immutable and validated. Built once at startup from the merged
 * configuration tree ({@link ConfigLoader}); each part of the engine receives only its own section.
 */
public record EngineConfig(
    Database database,
    Writer writer,
    Readers readers,
    Migrations migrations,
    Quotes quotes,
    Retention retention,
    Maintenance maintenance,
    Backup backup,
    Http http,
    Bridge bridge,
    Outbox outbox,
    VertxRuntime vertx,
    Security security) {

  public enum JournalMode { WAL, DELETE, TRUNCATE, PERSIST }

  public enum Synchronous { NORMAL, FULL }

  public enum TempStore { DEFAULT, FILE, MEMORY }

  public enum IntegrityCheck { OFF, QUICK, FULL }

  /**
   * {@code checkpointIntervalMs} 0: no background checkpoints (the writer's commits run them, as SQLite does);
   * {@code walAutocheckpointPages}: the log size at which the writer's own commit checkpoints (and the log restarts).
   */
  public record Database(Path path, int busyTimeoutMs, JournalMode journalMode, Synchronous synchronous,
                         int cacheSizeKib, TempStore tempStore, int checkpointIntervalMs, int walAutocheckpointPages) {
    /** The same settings on another file: used by tools that open a copy (dry run, backup checks). */
    public Database withPath(Path other) {
      return new Database(other, busyTimeoutMs, journalMode, synchronous, cacheSizeKib, tempStore, checkpointIntervalMs,
          walAutocheckpointPages);
    }
  }

  public record Writer(int queueCapacity, int maxBatchSize, int busyRetries) { }

  public record Readers(int poolSize) { }

  /** {@code location} is {@code classpath:<folder>} or a filesystem directory. */
  public record Migrations(String location, boolean autoMigrate, boolean backupBeforeMigrate, Path backupDirectory) { }

  public record Quotes(long markTtlMs) { }

  /** {@code archiveDirectory} is null when archiving is off. */
  public record Retention(boolean atStartup, int intervalMinutes, int quotesDays, int ordersDays, int fillsDays, int outboxDays,
                          int alertsDays, int batchSize, Path archiveDirectory) { }

  /** Scheduled backups; {@code intervalMinutes} 0 means off. */
  public record Backup(int intervalMinutes, Path directory, int keep) { }

  public record Maintenance(int intervalMinutes, IntegrityCheck integrityCheckAtStartup, boolean integrityCheckAfterCleanStop) { }

  /** {@code preferNativeTransport}: run the event loops on the platform's native transport (epoll on Linux), not NIO. */
  public record VertxRuntime(boolean preferNativeTransport) { }

  /** {@code tls} is null when the endpoint speaks plain HTTP. */
  public record Http(boolean enabled, String host, int port, Tls tls) { }

  /** A listener's TLS: a PEM private key and its PEM certificate (chain). */
  public record Tls(Path keyPath, Path certPath) { }

  /**
   * {@code tokensFile} (null: none) holds the access tokens every bridge frame and HTTP request must carry;
   * {@code allowInsecureRemote} lets a listener bind beyond loopback without TLS and tokens.
   */
  public record Security(Path tokensFile, boolean allowInsecureRemote) { }

  /**
   * {@code inboundPermitted}: addresses clients may send to; {@code publishPermitted}: addresses they may publish to
   * (nothing answers a publication, so nothing paces it: none by default); {@code outboundPermitted}: addresses they
   * may register on. With access tokens, each token's own patterns apply instead. {@code tls} is null for plain TCP.
   */
  public record Bridge(boolean enabled, String host, int port, List<String> inboundPermitted, List<String> publishPermitted,
                       List<String> outboundPermitted, BridgeLimits limits, Tls tls) {
    /** The same bridge on another port: the bench's no-op bridge. */
    public Bridge onPort(int otherPort) {
      return new Bridge(enabled, host, otherPort, inboundPermitted, publishPermitted, outboundPermitted, limits, tls);
    }
  }

  /**
   * What one client, and all of them together, may hold of the engine: frame size, connections, idle and
   * half-sent-frame time, requests awaiting their reply (per connection and in all), and bytes written to a
   * connection that its client has not yet read. {@code idleTimeoutSeconds} 0: connections are never closed for idleness.
   */
  public record BridgeLimits(int maxFrameBytes, int maxConnections, int idleTimeoutSeconds, int frameTimeoutMs,
                             int maxPipelined, int maxInFlight, int maxOutputBytes) { }

  public record Outbox(int batchSize, int maxInFlight, int pollMinMs, int pollMaxMs, int deliveryTimeoutMs, int maxAttempts,
                       int backoffInitialMs, int backoffMaxMs, List<String> subscribers,
                       long healthMaxPendingAgeMs, boolean healthTolerateBlocked) { }

  /** Validates the merged tree; throws {@link InvalidConfigException} naming the first bad key. */
  public static EngineConfig from(JsonObject merged) {
    ConfigTree t = new ConfigTree(merged);
    Database database = new Database(
        Path.of(t.string("database.path")),
        t.intValue("database.busyTimeoutMs", 0, 600_000),
        t.enumValue("database.journalMode", JournalMode.class),
        t.enumValue("database.synchronous", Synchronous.class),
        t.intValue("database.cacheSizeKib", 0, 64 * 1024 * 1024),
        t.enumValue("database.tempStore", TempStore.class),
        t.intValue("database.checkpointIntervalMs", 0, 3_600_000),
        t.intValue("database.walAutocheckpointPages", 100, 1_000_000));
    Writer writer = new Writer(
        t.intValue("writer.queueCapacity", 1, 10_000_000),
        t.intValue("writer.maxBatchSize", 1, 100_000),
        t.intValue("writer.busyRetries", 0, 1_000));
    Readers readers = new Readers(t.intValue("readers.poolSize", 1, 64));
    Migrations migrations = new Migrations(
        t.string("migrations.location"),
        t.bool("migrations.autoMigrate"),
        t.bool("migrations.backupBeforeMigrate"),
        Path.of(t.string("migrations.backupDirectory")));
    Quotes quotes = new Quotes(t.longValue("quotes.markTtlMs", 1, 86_400_000L));
    Object archive = t.raw("retention.archiveDirectory");
    Retention retention = new Retention(
        t.bool("retention.atStartup"),
        t.intValue("retention.intervalMinutes", 1, 7 * 24 * 60),
        t.intValue("retention.quotesDays", 1, 36_500),
        t.intValue("retention.ordersDays", 1, 36_500),
        t.intValue("retention.fillsDays", 1, 36_500),
        t.intValue("retention.outboxDays", 1, 36_500),
        t.intValue("retention.alertsDays", 1, 36_500),
        t.intValue("retention.batchSize", 1, 10_000), // one SQL parameter per row: far below SQLite's limit
        archive == null || archive.toString().isBlank() ? null : Path.of(archive.toString().trim()));
    Backup backup = new Backup(
        t.intValue("backup.intervalMinutes", 0, 7 * 24 * 60),
        Path.of(t.string("backup.directory")),
        t.intValue("backup.keep", 1, 10_000));
    Maintenance maintenance = new Maintenance(
        t.intValue("maintenance.intervalMinutes", 1, 7 * 24 * 60),
        t.enumValue("maintenance.integrityCheckAtStartup", IntegrityCheck.class),
        t.bool("maintenance.integrityCheckAfterCleanStop"));
    Http http = new Http(t.bool("http.enabled"), t.string("http.host"), t.intValue("http.port", 0, 65_535), tls(t, "http"));
    Bridge bridge = new Bridge(
        t.bool("bridge.enabled"),
        t.string("bridge.host"),
        t.intValue("bridge.port", 0, 65_535),
        regexList(t, "bridge.inboundPermitted"),
        regexList(t, "bridge.publishPermitted"),
        regexList(t, "bridge.outboundPermitted"),
        new BridgeLimits(
            t.intValue("bridge.maxFrameBytes", 256, 64 * 1024 * 1024),
            t.intValue("bridge.maxConnections", 1, 100_000),
            t.intValue("bridge.idleTimeoutSeconds", 0, 86_400),
            t.intValue("bridge.frameTimeoutMs", 100, 3_600_000),
            t.intValue("bridge.maxPipelined", 1, 100_000),
            t.intValue("bridge.maxInFlight", 1, 1_000_000),
            t.intValue("bridge.maxOutputBytes", 64 * 1024, 1024 * 1024 * 1024)),
        tls(t, "bridge"));
    Outbox outbox = new Outbox(
        t.intValue("outbox.batchSize", 1, 100_000),
        t.intValue("outbox.maxInFlight", 1, 1_000_000),
        t.intValue("outbox.pollMinMs", 1, 3_600_000),
        t.intValue("outbox.pollMaxMs", 1, 3_600_000),
        t.intValue("outbox.deliveryTimeoutMs", 1, 3_600_000),
        t.intValue("outbox.maxAttempts", 1, 1_000_000),
        t.intValue("outbox.backoffInitialMs", 1, 3_600_000),
        t.intValue("outbox.backoffMaxMs", 1, 86_400_000),
        t.stringList("outbox.subscribers"),
        t.longValue("outbox.healthMaxPendingAgeMs", 1, 86_400_000L),
        t.bool("outbox.healthTolerateBlocked"));
    if (outbox.pollMinMs() > outbox.pollMaxMs()) {
      throw new InvalidConfigException("outbox.pollMinMs", outbox.pollMinMs(), "at most outbox.pollMaxMs (" + outbox.pollMaxMs() + ")");
    }
    if (outbox.backoffInitialMs() > outbox.backoffMaxMs()) {
      throw new InvalidConfigException("outbox.backoffInitialMs", outbox.backoffInitialMs(),
          "at most outbox.backoffMaxMs (" + outbox.backoffMaxMs() + ")");
    }
    VertxRuntime vertx = new VertxRuntime(t.bool("vertx.preferNativeTransport"));
    Security security = new Security(optionalPath(t, "security.tokensFile"), t.bool("security.allowInsecureRemote"));
    t.refuseUnknownKeys();
    if (bridge.enabled()) {
      RemoteExposure.check("bridge", bridge.host(), bridge.tls(), security);
    }
    if (http.enabled()) {
      RemoteExposure.check("http", http.host(), http.tls(), security);
    }
    return new EngineConfig(database, writer, readers, migrations, quotes, retention, maintenance, backup, http, bridge, outbox,
        vertx, security);
  }

  /** {@code <listener>.tls.keyPath} and {@code certPath}: both or neither. */
  private static Tls tls(ConfigTree t, String listener) {
    Path key = optionalPath(t, listener + ".tls.keyPath");
    Path cert = optionalPath(t, listener + ".tls.certPath");
    if ((key == null) != (cert == null)) {
      String missing = key == null ? listener + ".tls.keyPath" : listener + ".tls.certPath";
      throw new InvalidConfigException(missing, "", "set together with " + listener + ".tls."
          + (key == null ? "certPath" : "keyPath") + " (a PEM file)");
    }
    return key == null ? null : new Tls(key, cert);
  }

  private static Path optionalPath(ConfigTree t, String key) {
    Object raw = t.raw(key);
    return raw == null || raw.toString().isBlank() ? null : Path.of(raw.toString().trim());
  }

  private static List<String> regexList(ConfigTree t, String key) {
    List<String> patterns = t.stringList(key);
    for (String p : patterns) {
      try {
        Pattern.compile(p);
      } catch (PatternSyntaxException e) {
        throw new InvalidConfigException(key, p, "a valid regular expression (" + e.getDescription() + ")");
      }
    }
    return List.copyOf(patterns);
  }
}
