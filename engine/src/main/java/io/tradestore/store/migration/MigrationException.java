package io.tradestore.store.migration;

/**
 * A migration could not be resolved, validated or applied. The message is one line meant for an operator: it
 * names the file, version or statement at fault and, where there is one, the remedy. Callers print the message,
 * not the stack trace.
 */
public class MigrationException extends RuntimeException {
  public MigrationException(String message) {
    super(message);
  }

  public MigrationException(String message, Throwable cause) {
    super(message, cause);
  }
}
