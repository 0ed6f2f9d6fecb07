package io.tradestore.cli;

import io.tradestore.config.InvalidConfigException;
import picocli.CommandLine;

/**
 * One convention for every command: 0 on success; 2 for a usage or configuration error, which fails the same way
 * every time until the operator changes the command line or the configuration (picocli gives 2 for a bad option
 * too); 1 for a failure while the command ran. A supervisor can then tell "fix the deployment" from "retry".
 */
final class ExitCodes {
  static final int FAILURE = 1;
  static final int CONFIGURATION = CommandLine.ExitCode.USAGE;

  private ExitCodes() { }

  /** The exit code for a command that failed with {@code failure}. */
  static int of(Throwable failure) {
    return failure instanceof InvalidConfigException || failure instanceof ConfigurationError ? CONFIGURATION : FAILURE;
  }
}
