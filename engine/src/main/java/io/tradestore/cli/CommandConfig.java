package io.tradestore.cli;

import io.tradestore.config.EngineConfig;
import io.tradestore.config.InvalidConfigException;
import io.tradestore.config.UnreadableConfigException;

import io.tradestore.config.ConfigLoader;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * Loads a command's configuration so that every way it can fail is a configuration error (exit 2) with a
 * one-line reason: a bad value is an {@link InvalidConfigException} already; anything else that loading throws
 * comes from a file that does not read or parse (the YAML parser's message spans several lines, with a caret).
 */
final class CommandConfig {
  private CommandConfig() { }

  static EngineConfig load(ConfigOptions options) {
    return load(options, Map.of());
  }

  /** With {@code extra} over the command line's own overrides: what a command itself needs of the engine. */
  static EngineConfig load(ConfigOptions options, Map<String, Object> extra) {
    try {
      Map<String, Object> overrides = new HashMap<>(options.overrides());
      overrides.putAll(extra);
      return ConfigLoader.load(options.confFile(), overrides);
    } catch (InvalidConfigException e) {
      throw e;
    } catch (UnreadableConfigException e) {
      throw new ConfigurationError("cannot read the configuration " + e.file() + ": " + oneLine(e.reason()), e);
    }
  }

  /** The message's lines joined, without the blank ones, the caret lines and a line repeated. */
  static String oneLine(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : oneLine(e.getMessage());
  }

  private static String oneLine(String message) {
    List<String> kept = new ArrayList<>();
    for (String line : message.split("\\R")) {
      String text = line.strip();
      if (!text.isEmpty() && !text.matches("\\^+") && !kept.contains(text)) {
        kept.add(text);
      }
    }
    return String.join(" ", kept);
  }
}
