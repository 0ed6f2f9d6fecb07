package io.tradestore.config;

import io.tradestore.FileErrors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Builds the {@link EngineConfig} from layers, lowest first:
 * <ol>
 *   <li>the defaults shipped in the jar ({@code conf/tradestore.yaml} of the source tree);</li>
 *   <li>the operator's file: {@code --conf FILE}, else {@code ./conf/tradestore.yaml} if present;</li>
 *   <li>environment variables {@code TRADESTORE_<PATH_IN_UPPER_SNAKE_CASE>};</li>
 *   <li>system properties {@code tradestore.<path>};</li>
 *   <li>explicit overrides given on the command line (for example {@code --db}).</li>
 * </ol>
 * The files are deep-merged (a nested key replaces only itself; a list is replaced whole). Environment variables
 * and system properties are flat text, so each leaf key of the merged files is looked up there by its env and
 * property name; a key no file has cannot be set that way. Plain Java, no Vert.x instance: the engine and every
 * CLI verb read their configuration the same way, and a verb that needs no event loop starts none.
 */
public final class ConfigLoader {
  public static final String DEFAULTS_RESOURCE = "tradestore-defaults/tradestore.yaml";
  public static final Path OPERATOR_FILE = Path.of("conf", "tradestore.yaml");
  public static final String ENV_PREFIX = "TRADESTORE_";
  public static final String PROPERTY_PREFIX = "tradestore.";

  private ConfigLoader() { }

  /**
   * @param confFile  the operator's file, or null for {@code ./conf/tradestore.yaml} when it exists
   * @param overrides dotted keys set on the command line, applied last
   */
  public static EngineConfig load(Path confFile, Map<String, Object> overrides) {
    return load(confFile, overrides, System.getenv(), System.getProperties());
  }

  /** {@link #load(Path, Map)} with the environment and the system properties given, so that tests can set them. */
  static EngineConfig load(Path confFile, Map<String, Object> overrides, Map<String, String> environment,
                           Properties properties) {
    if (confFile != null && !Files.isRegularFile(confFile)) {
      throw new InvalidConfigException("--conf", confFile.toString(), "an existing configuration file");
    }
    JsonObject merged = ConfigFile.parse(DEFAULTS_RESOURCE, defaults());
    Path operatorFile = confFile != null ? confFile : Files.isRegularFile(OPERATOR_FILE) ? OPERATOR_FILE : null;
    if (operatorFile != null) {
      merged.mergeIn(ConfigFile.parse(operatorFile.toString(), read(operatorFile)), true);
    }
    List<String> leaves = new ArrayList<>();
    collectLeaves(merged, "", leaves);
    for (String key : leaves) {
      String fromEnv = environment.get(envName(key));
      if (fromEnv != null) {
        put(merged, key, fromEnv);
      }
      String fromProperty = properties.getProperty(PROPERTY_PREFIX + key);
      if (fromProperty != null) {
        put(merged, key, fromProperty);
      }
    }
    overrides.forEach((key, value) -> put(merged, key, value));
    return EngineConfig.from(merged);
  }

  /** {@code database.busyTimeoutMs} becomes {@code TRADESTORE_DATABASE_BUSY_TIMEOUT_MS}. */
  public static String envName(String key) {
    String snake = key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_');
    return ENV_PREFIX + snake.toUpperCase(Locale.ROOT);
  }

  private static String defaults() {
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the shipped defaults " + DEFAULTS_RESOURCE + " are missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the shipped defaults " + DEFAULTS_RESOURCE + ": " + e.getMessage(), e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UnreadableConfigException(file.toString(), FileErrors.reason(e), e);
    }
  }

  private static void collectLeaves(JsonObject node, String prefix, List<String> out) {
    for (String name : node.fieldNames()) {
      String key = prefix.isEmpty() ? name : prefix + "." + name;
      Object value = node.getValue(name);
      if (value instanceof JsonObject child) {
        collectLeaves(child, key, out);
      } else {
        out.add(key);
      }
    }
  }

  private static void put(JsonObject root, String key, Object value) {
    String[] parts = key.split("\\.");
    JsonObject node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      Object child = node.getValue(parts[i]);
      if (!(child instanceof JsonObject)) {
        child = new JsonObject();
        node.put(parts[i], child);
      }
      node = (JsonObject) child;
    }
    node.put(parts[parts.length - 1], value instanceof List<?> list ? new JsonArray(new ArrayList<>(list)) : value);
  }
}
