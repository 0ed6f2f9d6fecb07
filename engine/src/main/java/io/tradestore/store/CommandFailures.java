package io.tradestore.store;

import io.tradestore.CommandFailure;
import io.tradestore.ErrorCode;

import java.util.Optional;

/** Any throwable as the failure a command is answered with. */
public final class CommandFailures {
  private CommandFailures() { }

  /**
   * A storage fault (a read on a deleted or damaged file, an I/O error) becomes its 503 {@code STORAGE_} code; a
   * full reader pool {@code OVERLOADED}; anything unexpected {@code INTERNAL}, without leaking internals.
   */
  public static CommandFailure of(Throwable error) {
    if (error instanceof CommandFailure failure) {
      return failure;
    }
    Optional<StorageFault> storage = StorageFault.of(error, null);
    if (storage.isPresent()) {
      return storage.get().toFailure();
    }
    if (error.getClass().getSimpleName().contains("TooBusy")) { // a connection pool's wait queue is full
      return new CommandFailure(ErrorCode.OVERLOADED, "too many reads waiting; retry later");
    }
    return new CommandFailure(ErrorCode.INTERNAL, "unexpected error: " + error.getClass().getSimpleName());
  }
}
