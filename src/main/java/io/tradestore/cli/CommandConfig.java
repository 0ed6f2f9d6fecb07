package io.tradestore.cli;

import io.tradestore.config.ConfigLoader;
import io.tradestore.config.EngineConfig;
import io.tradestore.config.InvalidConfigException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a command's configuration so that every way it can fail is a configuration error (exit 2) with a
 * one-line reason: a bad value is an {@link InvalidConfigException} already; anything else that loading throws
 * comes from a file that does not read or parse (the YAML parser's message spans several lines, with a caret).
 */
final class CommandConfig {
  private CommandConfig() { }

  static EngineConfig load(ConfigOptions options) {
    try {
      return options.load();
    } catch (InvalidConfigException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ConfigurationError("cannot read the configuration" + file(options) + ": " + oneLine(e), e);
    }
  }

  private static String file(ConfigOptions options) {
    Path file = options.confFile() != null ? options.confFile()
        : Files.isRegularFile(ConfigLoader.OPERATOR_FILE) ? ConfigLoader.OPERATOR_FILE : null;
    return file == null ? "" : " " + file;
  }

  /** The message's lines joined, without the blank ones, the caret lines and a line repeated. */
  static String oneLine(Throwable e) {
    if (e.getMessage() == null) {
      return e.getClass().getSimpleName();
    }
    List<String> kept = new ArrayList<>();
    for (String line : e.getMessage().split("\\R")) {
      String text = line.strip();
      if (!text.isEmpty() && !text.matches("\\^+") && !kept.contains(text)) {
        kept.add(text);
      }
    }
    return String.join(" ", kept);
  }
}
