package io.tradestore.config;

/**
 * A configuration layer whose text does not parse. It keeps the file and the parser's reason apart, so that a command
 * can say "cannot read the configuration FILE: REASON" naming the layer that failed, the shipped defaults included.
 */
public final class UnreadableConfigException extends RuntimeException {
  private final String file;
  private final String reason;

  UnreadableConfigException(String file, String reason, Throwable cause) {
    super("configuration file " + file + ": " + reason, cause);
    this.file = file;
    this.reason = reason;
  }

  public String file() {
    return file;
  }

  public String reason() {
    return reason;
  }
}
