package io.tradestore.cli;

/** The configuration could not be read: a file that does not parse, or that cannot be opened. Exits 2. */
final class ConfigurationError extends RuntimeException {
  ConfigurationError(String message, Throwable cause) {
    super(message, cause);
  }
}
