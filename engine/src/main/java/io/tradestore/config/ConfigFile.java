package io.tradestore.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.util.Date;
import java.util.Map;

/**
 * One configuration layer's text as a tree: JSON when the name ends in {@code .json}, YAML otherwise. It reads the
 * way vertx-config's file store did (SnakeYAML's safe constructor, YAML dates as {@link java.time.Instant}), without
 * the Vert.x instance that store needs, so that a CLI verb starts no event loops to read its configuration.
 */
final class ConfigFile {
  private ConfigFile() { }

  /** @param name where the text came from: its ending picks the format, and errors name it */
  static JsonObject parse(String name, String text) {
    if (name.endsWith(".json")) {
      try {
        return new JsonObject(text);
      } catch (DecodeException e) {
        throw new UnreadableConfigException(name, "not a JSON object: " + e.getMessage(), e);
      }
    }
    Object document;
    try {
      document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    } catch (YAMLException e) {
      throw new UnreadableConfigException(name, e.getMessage(), e);
    }
    if (document == null) { // empty, or only comments
      return new JsonObject();
    }
    if (!(document instanceof Map<?, ?> map)) {
      throw new UnreadableConfigException(name, "not a YAML mapping of keys", null);
    }
    return tree(map);
  }

  private static JsonObject tree(Map<?, ?> map) {
    JsonObject node = new JsonObject();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      Object value = entry.getValue();
      if (value instanceof Map<?, ?> child) {
        value = tree(child);
      } else if (value instanceof Date date) {
        value = date.toInstant();
      }
      node.put(String.valueOf(entry.getKey()), value);
    }
    return node;
  }
}
