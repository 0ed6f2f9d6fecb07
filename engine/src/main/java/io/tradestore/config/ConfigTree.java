package io.tradestore.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Typed, validating access to the merged configuration tree. Values may arrive as JSON numbers (from YAML)
 * or as strings (from environment variables and system properties); both are accepted, anything else is
 * refused with the key and the value. Every key read is remembered so unknown keys (typos) can be refused.
 */
final class ConfigTree {
  private final JsonObject root;
  private final Set<String> read = new HashSet<>();

  ConfigTree(JsonObject root) {
    this.root = root;
  }

  Object raw(String key) {
    read.add(key);
    Object node = root;
    for (String part : key.split("\\.")) {
      if (!(node instanceof JsonObject obj)) {
        return null;
      }
      node = obj.getValue(part);
    }
    return node;
  }

  Object required(String key) {
    Object value = raw(key);
    if (value == null) {
      throw new InvalidConfigException(key, null, "a value (the key is missing)");
    }
    return value;
  }

  String string(String key) {
    Object value = required(key);
    if (value instanceof JsonObject || value instanceof JsonArray) {
      throw new InvalidConfigException(key, value, "a single value");
    }
    String s = value.toString().trim();
    if (s.isEmpty()) {
      throw new InvalidConfigException(key, value, "a non-empty value");
    }
    return s;
  }

  long longValue(String key, long min, long max) {
    Object value = required(key);
    long parsed;
    if (value instanceof Number n && !(value instanceof Double || value instanceof Float)) {
      parsed = n.longValue();
    } else if (value instanceof String s) {
      try {
        parsed = Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw new InvalidConfigException(key, value, "a whole number between " + min + " and " + max);
      }
    } else {
      throw new InvalidConfigException(key, value, "a whole number between " + min + " and " + max);
    }
    if (parsed < min || parsed > max) {
      throw new InvalidConfigException(key, value, "a whole number between " + min + " and " + max);
    }
    return parsed;
  }

  int intValue(String key, int min, int max) {
    return (int) longValue(key, min, max);
  }

  boolean bool(String key) {
    Object value = required(key);
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s) {
      switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on" -> {
          return true;
        }
        case "false", "no", "off" -> {
          return false;
        }
        default -> { }
      }
    }
    throw new InvalidConfigException(key, value, "true or false");
  }

  <E extends Enum<E>> E enumValue(String key, Class<E> type) {
    String s = string(key);
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(s)) {
        return constant;
      }
    }
    List<String> names = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      names.add(constant.name());
    }
    throw new InvalidConfigException(key, s, "one of " + String.join(", ", names));
  }

  /** A list given as a YAML/JSON array, or as one comma-separated string (the form env vars take). */
  List<String> stringList(String key) {
    Object value = raw(key);
    List<String> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    if (value instanceof JsonArray array) {
      for (Object item : array) {
        if (item == null || item instanceof JsonObject || item instanceof JsonArray) {
          throw new InvalidConfigException(key, value, "a list of strings");
        }
        String s = item.toString().trim();
        if (!s.isEmpty()) {
          out.add(s);
        }
      }
      return out;
    }
    if (value instanceof String s) {
      for (String part : s.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
      return out;
    }
    throw new InvalidConfigException(key, value, "a list of strings");
  }

  /** Refuses keys present in the tree that no part of the engine reads: a typo must not pass silently. */
  void refuseUnknownKeys() {
    checkUnknown(root, "");
  }

  private void checkUnknown(JsonObject node, String prefix) {
    for (String name : node.fieldNames()) {
      String key = prefix.isEmpty() ? name : prefix + "." + name;
      Object value = node.getValue(name);
      if (read.contains(key)) {
        continue;
      }
      if (value instanceof JsonObject child && read.stream().anyMatch(k -> k.startsWith(key + "."))) {
        checkUnknown(child, key);
        continue;
      }
      throw new InvalidConfigException(key, value instanceof JsonObject ? "{...}" : value, "no such key (unknown configuration key)");
    }
  }
}
