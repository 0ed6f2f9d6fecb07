package io.tradestore.config;

/** A configuration value that cannot be used; the message names the key and the bad value. */
public final class InvalidConfigException extends RuntimeException {
  private final String key;

  public InvalidConfigException(String key, Object value, String expected) {
    super("invalid configuration " + key + "=" + render(value) + ": expected " + expected);
    this.key = key;
  }

  public String key() {
    return key;
  }

  private static String render(Object value) {
    return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
  }
}
