package io.tradestore.config;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * System properties are global to the JVM, so the property layer is tested with keys no other test reads
 * concurrently, and each test clears what it set.
 */
class ConfigLoaderTest {
  @TempDir Path dir;

  @AfterEach
  void close() {
    System.clearProperty("tradestore.writer.queueCapacity");
    System.clearProperty("tradestore.bridge.inboundPermitted");
  }

  private EngineConfig load(Path file, Map<String, Object> overrides) {
    return ConfigLoader.load(file, overrides);
  }

  private static Properties properties(String key, String value) {
    Properties p = new Properties();
    p.setProperty(key, value);
    return p;
  }

  @Test
  void anEnvironmentVariableOverridesTheFileAndIsParsedFromText() throws Exception {
    Path file = dir.resolve("site.yaml");
    Files.writeString(file, "writer:\n  queueCapacity: 50\n");
    EngineConfig config = ConfigLoader.load(file, Map.of(), Map.of("TRADESTORE_WRITER_QUEUE_CAPACITY", "4321",
        "TRADESTORE_DATABASE_BUSY_TIMEOUT_MS", "8000"), new Properties());
    assertEquals(4321, config.writer().queueCapacity());
    assertEquals(8000, config.database().busyTimeoutMs(), "a key only the defaults set");
  }

  @Test
  void aSystemPropertyWinsOverTheEnvironmentAndOverridesWinOverBoth() {
    Map<String, String> env = Map.of("TRADESTORE_WRITER_QUEUE_CAPACITY", "4321");
    assertEquals(1234, ConfigLoader.load(null, Map.of(), env, properties("tradestore.writer.queueCapacity", "1234"))
        .writer().queueCapacity());
    assertEquals(77, ConfigLoader.load(null, Map.of("writer.queueCapacity", 77), env,
        properties("tradestore.writer.queueCapacity", "1234")).writer().queueCapacity());
  }

  @Test
  void anEnvironmentListIsCommaSeparatedText() {
    assertEquals(List.of("a\\..+", "b\\..+"), ConfigLoader.load(null, Map.of(),
        Map.of("TRADESTORE_BRIDGE_INBOUND_PERMITTED", "a\\..+, b\\..+"), new Properties()).bridge().inboundPermitted());
  }

  @Test
  void environmentVariablesAndPropertiesOfNoKnownKeyAreIgnored() {
    EngineConfig config = ConfigLoader.load(null, Map.of(), Map.of("TRADESTORE_DATABASE_BUSY_TIMEUT_MS", "1"),
        properties("tradestore.nothing.here", "x"));
    assertEquals(5000, config.database().busyTimeoutMs());
  }

  @Test
  void nestedKeysOfAFileMergeDeeplyAndAListIsReplacedWhole() throws Exception {
    Path file = dir.resolve("site.yaml");
    Files.writeString(file, """
        database:
          busyTimeoutMs: 9000
        bridge:
          inboundPermitted: ["only\\\\..+"]
        """);
    EngineConfig config = load(file, Map.of());
    assertEquals(9000, config.database().busyTimeoutMs());
    assertEquals(EngineConfig.Synchronous.FULL, config.database().synchronous(), "a sibling key keeps its default");
    assertEquals(List.of("only\\..+"), config.bridge().inboundPermitted());
  }

  @Test
  void anEmptyOrCommentOnlyYamlFileLeavesTheDefaults() throws Exception {
    Path empty = dir.resolve("empty.yaml");
    Files.writeString(empty, "");
    Path comments = dir.resolve("comments.yaml");
    Files.writeString(comments, "# nothing set here\n");
    assertEquals(7000, load(empty, Map.of()).bridge().port());
    assertEquals(7000, load(comments, Map.of()).bridge().port());
  }

  @Test
  void aMalformedFileIsRefusedNamingIt() throws Exception {
    Path yaml = dir.resolve("bad.yaml");
    Files.writeString(yaml, "database: [unclosed\n");
    RuntimeException e = assertThrows(RuntimeException.class, () -> load(yaml, Map.of()));
    assertTrue(e.getMessage().contains(yaml.toString()), e.getMessage());
    Path list = dir.resolve("list.yaml");
    Files.writeString(list, "- a\n- b\n");
    assertTrue(assertThrows(RuntimeException.class, () -> load(list, Map.of())).getMessage().contains("mapping"));
    Path json = dir.resolve("bad.json");
    Files.writeString(json, "{\"http\": ");
    e = assertThrows(RuntimeException.class, () -> load(json, Map.of()));
    assertTrue(e.getMessage().contains(json.toString()), e.getMessage());
  }

  @Test
  void theShippedDefaultsDescribeAnEmbeddedDatabaseUnderData() {
    EngineConfig config = load(null, Map.of());
    assertEquals(Path.of("./data/tradestore.db"), config.database().path());
    assertEquals(EngineConfig.JournalMode.WAL, config.database().journalMode());
    assertEquals(EngineConfig.Synchronous.FULL, config.database().synchronous());
    assertEquals("127.0.0.1", config.bridge().host());
    assertEquals(7000, config.bridge().port());
    assertEquals(8080, config.http().port());
    assertTrue(config.migrations().autoMigrate());
  }

  @Test
  void aConfFileLayersOverTheDefaultsKeepingWhatItDoesNotSet() throws Exception {
    Path file = dir.resolve("site.yaml");
    Files.writeString(file, """
        database:
          synchronous: NORMAL
        readers:
          poolSize: 2
        """);
    EngineConfig config = load(file, Map.of());
    assertEquals(EngineConfig.Synchronous.NORMAL, config.database().synchronous());
    assertEquals(2, config.readers().poolSize());
    assertEquals(5000, config.database().busyTimeoutMs(), "untouched keys keep their defaults");
  }

  @Test
  void aJsonConfFileIsReadToo() throws Exception {
    Path file = dir.resolve("site.json");
    Files.writeString(file, "{\"http\": {\"port\": 9090}}");
    assertEquals(9090, load(file, Map.of()).http().port());
  }

  @Test
  void aSystemPropertyOverridesTheFileAndIsParsedFromText() throws Exception {
    Path file = dir.resolve("site.yaml");
    Files.writeString(file, "writer:\n  queueCapacity: 50\n");
    System.setProperty("tradestore.writer.queueCapacity", "1234");
    assertEquals(1234, load(file, Map.of()).writer().queueCapacity());
  }

  @Test
  void aListCanBeOverriddenAsCommaSeparatedText() {
    System.setProperty("tradestore.bridge.inboundPermitted", "trading\\.orders\\..+, trading\\.fills\\..+");
    assertEquals(List.of("trading\\.orders\\..+", "trading\\.fills\\..+"), load(null, Map.of()).bridge().inboundPermitted());
  }

  @Test
  void commandLineOverridesWinOverEveryOtherLayer() {
    System.setProperty("tradestore.writer.queueCapacity", "1234");
    assertEquals(77, load(null, Map.of("writer.queueCapacity", 77)).writer().queueCapacity());
  }

  @Test
  void environmentVariableNamesAreThePathInUpperSnakeCase() {
    assertEquals("TRADESTORE_DATABASE_BUSY_TIMEOUT_MS", ConfigLoader.envName("database.busyTimeoutMs"));
    assertEquals("TRADESTORE_BRIDGE_INBOUND_PERMITTED", ConfigLoader.envName("bridge.inboundPermitted"));
    assertEquals("TRADESTORE_HTTP_PORT", ConfigLoader.envName("http.port"));
  }

  @Test
  void anUnknownEnumValueIsRefusedNamingKeyAndValue() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> load(null, Map.of("database.synchronous", "SOMETIMES")));
    assertEquals("database.synchronous", e.key());
    assertTrue(e.getMessage().contains("'SOMETIMES'"), e.getMessage());
    assertTrue(e.getMessage().contains("NORMAL, FULL"), e.getMessage());
  }

  @Test
  void aNegativeSizeIsRefusedNamingKeyAndValue() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> load(null, Map.of("readers.poolSize", -1)));
    assertEquals("readers.poolSize", e.key());
    assertTrue(e.getMessage().contains("=-1"), e.getMessage());
  }

  @Test
  void anUnparsableNumberIsRefusedNamingKeyAndValue() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> load(null, Map.of("writer.queueCapacity", "10k")));
    assertEquals("writer.queueCapacity", e.key());
    assertTrue(e.getMessage().contains("'10k'"), e.getMessage());
  }

  @Test
  void aMisspelledKeyInTheFileIsRefused() throws Exception {
    Path file = dir.resolve("typo.yaml");
    Files.writeString(file, "database:\n  busyTimeutMs: 10\n");
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> load(file, Map.of()));
    assertEquals("database.busyTimeutMs", e.key());
  }

  @Test
  void anInvalidRegularExpressionForTheBridgeIsRefused() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> load(null, Map.of("bridge.inboundPermitted", "trading\\.(")));
    assertEquals("bridge.inboundPermitted", e.key());
  }

  @Test
  void aMissingConfFileIsRefused() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> load(dir.resolve("nope.yaml"), Map.of()));
    assertFalse(e.getMessage().isEmpty());
  }

  @Test
  void aListenerBeyondLoopbackIsRefusedWithoutTlsAndTokensUnlessExplicitlyAllowed() {
    InvalidConfigException bridge = assertThrows(InvalidConfigException.class, () -> load(null, Map.of("bridge.host", "0.0.0.0")));
    assertEquals("bridge.host", bridge.key());
    assertTrue(bridge.getMessage().contains("security.tokensFile"), bridge.getMessage());
    InvalidConfigException http = assertThrows(InvalidConfigException.class, () -> load(null, Map.of("http.host", "0.0.0.0")));
    assertEquals("http.host", http.key());
    InvalidConfigException tlsOnly = assertThrows(InvalidConfigException.class, () -> load(null, Map.of("bridge.host", "0.0.0.0",
        "bridge.tls.keyPath", "k.pem", "bridge.tls.certPath", "c.pem")));
    assertEquals("bridge.host", tlsOnly.key(), "TLS without tokens is not enough");

    assertEquals("0.0.0.0", load(null, Map.of("bridge.host", "0.0.0.0", "security.allowInsecureRemote", true)).bridge().host());
    EngineConfig secured = load(null, Map.of("bridge.host", "0.0.0.0", "bridge.tls.keyPath", "k.pem",
        "bridge.tls.certPath", "c.pem", "security.tokensFile", "tokens.json"));
    assertEquals(Path.of("k.pem"), secured.bridge().tls().keyPath());
    assertEquals("localhost", load(null, Map.of("bridge.host", "localhost")).bridge().host(), "localhost is loopback");
  }

  @Test
  void aTlsKeyWithoutItsCertificateIsRefused() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> load(null, Map.of("http.tls.keyPath", "k.pem")));
    assertEquals("http.tls.certPath", e.key());
  }
}
