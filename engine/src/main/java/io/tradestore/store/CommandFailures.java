package io.tradestore.store;

import io.tradestore.CommandFailure;
import io.tradestore.ErrorCode;

import java.nio.file.Path;
import java.util.Optional;

/** Any throwable as the failure a command is answered with. */
public final class CommandFailures {
  private CommandFailures() { }

  /** As {@link #of(Throwable, Path)}, for a failure whose database is not known here (a read, a handler). */
  public static CommandFailure of(Throwable error) {
    return of(error, null);
  }

  /**
   * The write lock held elsewhere past every retry becomes 503 {@code DATABASE_BUSY}; a storage fault (a deleted
   * or damaged file, an I/O error, a full disk) its 503 {@code STORAGE_} code, naming {@code database} when given;
   * a full reader pool {@code OVERLOADED}; anything unexpected {@code INTERNAL}, without leaking internals.
   */
  public static CommandFailure of(Throwable error, Path database) {
    if (error instanceof CommandFailure failure) {
      return failure;
    }
    if (SqliteBusy.isBusy(error)) {
      return new CommandFailure(ErrorCode.DATABASE_BUSY, "database is busy (write lock held elsewhere); retry later");
    }
    Optional<StorageFault> storage = StorageFault.of(error, database);
    if (storage.isPresent()) {
      return storage.get().toFailure();
    }
    if (error.getClass().getSimpleName().contains("TooBusy")) { // a connection pool's wait queue is full
      return new CommandFailure(ErrorCode.OVERLOADED, "too many reads waiting; retry later");
    }
    return new CommandFailure(ErrorCode.INTERNAL, "unexpected error: " + error.getClass().getSimpleName());
  }
}
