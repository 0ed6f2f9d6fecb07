package io.tradestore.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the {@link EngineConfig} from layered vertx-config stores, lowest first:
 * <ol>
 *   <li>the defaults shipped in the jar ({@code conf/tradestore.yaml} of the source tree);</li>
 *   <li>the operator's file: {@code --conf FILE}, else {@code ./conf/tradestore.yaml} if present;</li>
 *   <li>environment variables {@code TRADESTORE_<PATH_IN_UPPER_SNAKE_CASE>};</li>
 *   <li>system properties {@code tradestore.<path>};</li>
 *   <li>explicit overrides given on the command line (for example {@code --db}).</li>
 * </ol>
 * The env and sys stores are flat (vertx-config's {@code env} store has no hierarchy), so each known key
 * of the tree is looked up there by its env and property name.
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
  public static Future<EngineConfig> load(Vertx vertx, Path confFile, Map<String, Object> overrides) {
    if (confFile != null && !Files.isRegularFile(confFile)) {
      return Future.failedFuture(new InvalidConfigException("--conf", confFile.toString(), "an existing configuration file"));
    }
    ConfigRetrieverOptions files = new ConfigRetrieverOptions().setScanPeriod(0).setIncludeDefaultStores(false)
        .addStore(fileStore(DEFAULTS_RESOURCE, false));
    if (confFile != null) {
      files.addStore(fileStore(confFile.toString(), false));
    } else if (Files.isRegularFile(OPERATOR_FILE)) {
      files.addStore(fileStore(OPERATOR_FILE.toString(), false));
    }
    ConfigRetrieverOptions environment = new ConfigRetrieverOptions().setScanPeriod(0).setIncludeDefaultStores(false)
        .addStore(new ConfigStoreOptions().setType("env").setConfig(new JsonObject().put("raw-data", true)))
        .addStore(new ConfigStoreOptions().setType("sys").setConfig(new JsonObject().put("raw-data", true)));
    return retrieve(vertx, files).compose(tree -> retrieve(vertx, environment).map(flat -> {
      JsonObject merged = tree.copy();
      List<String> leaves = new ArrayList<>();
      collectLeaves(merged, "", leaves);
      for (String key : leaves) {
        Object fromEnv = flat.getValue(envName(key));
        if (fromEnv != null) {
          put(merged, key, fromEnv);
        }
        Object fromProperty = flat.getValue(PROPERTY_PREFIX + key);
        if (fromProperty != null) {
          put(merged, key, fromProperty);
        }
      }
      overrides.forEach((key, value) -> put(merged, key, value));
      return EngineConfig.from(merged);
    }));
  }

  /** {@code database.busyTimeoutMs} becomes {@code TRADESTORE_DATABASE_BUSY_TIMEOUT_MS}. */
  public static String envName(String key) {
    String snake = key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_');
    return ENV_PREFIX + snake.toUpperCase(Locale.ROOT);
  }

  private static ConfigStoreOptions fileStore(String path, boolean optional) {
    String format = path.endsWith(".json") ? "json" : "yaml";
    return new ConfigStoreOptions().setType("file").setFormat(format).setOptional(optional)
        .setConfig(new JsonObject().put("path", path));
  }

  private static Future<JsonObject> retrieve(Vertx vertx, ConfigRetrieverOptions options) {
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig().andThen(done -> retriever.close());
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
