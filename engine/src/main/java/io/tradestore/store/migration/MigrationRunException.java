package io.tradestore.store.migration;

/**
 * A {@code migrate} or {@code down} run that stopped at a failure. Each file is its own transaction, so what the
 * run committed before the failing one stays committed: {@link #report()} says what that was, for the operator to
 * see beside the failure, as a successful run would show it. The message is the failure's.
 */
public final class MigrationRunException extends MigrationException {
  private final transient MigrationReport report;

  MigrationRunException(String message, RuntimeException failure, MigrationReport report) {
    super(message, failure);
    this.report = report;
  }

  /** The files committed before the failure (maybe none), the backup taken, and the version the run left. */
  public MigrationReport report() {
    return report;
  }
}
