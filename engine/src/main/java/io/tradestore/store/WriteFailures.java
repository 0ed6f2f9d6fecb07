package io.tradestore.store;

import io.tradestore.CommandFailure;
import io.tradestore.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the writer's failures mean: which are the storage's (counted, logged rate-limited, kept for readiness), the
 * one that stops every later write (the database file deleted or replaced), and the coded answer each command gets.
 */
final class WriteFailures {
  private static final Logger LOG = LoggerFactory.getLogger(WriteFailures.class);

  private final Path databasePath;
  private final StorageFaults storageFaults = new StorageFaults();
  /** Set once the database file is found deleted or replaced: every write is refused from then on. */
  private volatile StorageFault databaseGone;

  WriteFailures(Path databasePath) {
    this.databasePath = databasePath;
  }

  /** The fault that stops every write, or null. */
  StorageFault databaseGone() {
    return databaseGone;
  }

  /** The fault readiness shows: the database gone, else the last write's storage fault (null after a commit). */
  StorageFault current() {
    StorageFault gone = databaseGone;
    return gone != null ? gone : storageFaults.current();
  }

  long count(ErrorCode code) {
    return storageFaults.count(code);
  }

  void writeSucceeded() {
    storageFaults.writeSucceeded();
  }

  /**
   * Counts, logs (rate-limited) and keeps for readiness a failure that came from the storage; true when it was one.
   * A deleted or replaced database file also stops every later write.
   */
  boolean record(Throwable cause) {
    if (cause instanceof CommandFailure || SqliteBusy.isBusy(cause)) {
      return false;
    }
    Optional<StorageFault> fault = StorageFault.of(cause, databasePath);
    if (fault.isEmpty()) {
      return false;
    }
    if (DatabaseFile.REPLACED.equals(fault.get().condition()) && databaseGone == null) {
      databaseGone = fault.get();
    }
    storageFaults.failed(fault.get());
    return true;
  }

  /**
   * The coded answer of a command that failed with {@code error}; a failure nobody foresaw is logged here. A
   * storage fault is not: {@link #record} counts and logs it once per transaction, not per command.
   */
  CommandFailure answerFor(Throwable error) {
    CommandFailure answer = CommandFailures.of(error, databasePath);
    if (answer.code() == ErrorCode.INTERNAL) {
      LOG.error("write failed", error);
    }
    return answer;
  }
}
