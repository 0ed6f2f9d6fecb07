package io.tradestore.store;

import io.tradestore.CommandFailure;
import io.tradestore.ErrorCode;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How any failure becomes the coded answer a client gets, for the writer and the readers alike. */
class CommandFailuresTest {
  private static final class WaitQueueTooBusyException extends RuntimeException { }

  @Test
  void aCommandFailureIsAnsweredAsItIs() {
    CommandFailure refused = new CommandFailure(ErrorCode.CONFLICT, "order o-1 exists with other content", "orderId");
    assertSame(refused, CommandFailures.of(refused));
  }

  @Test
  void aLockHeldElsewhereIsDatabaseBusyWrappedOrNot() {
    SQLiteException busy = new SQLiteException("[SQLITE_BUSY] database is locked", SQLiteErrorCode.SQLITE_BUSY);
    assertEquals(ErrorCode.DATABASE_BUSY, CommandFailures.of(busy).code());
    assertEquals(ErrorCode.DATABASE_BUSY, CommandFailures.of(new RuntimeException("read failed", busy)).code());
  }

  @Test
  void aFullDiskIsStorageFullNamingTheDatabaseWhenKnown() {
    SQLiteException full = new SQLiteException("[SQLITE_FULL] database or disk is full", SQLiteErrorCode.SQLITE_FULL);
    CommandFailure answer = CommandFailures.of(full, Path.of("/data/trading.db"));
    assertEquals(ErrorCode.STORAGE_FULL, answer.code());
    assertTrue(answer.getMessage().contains("/data/trading.db"), answer.getMessage());
    assertEquals(ErrorCode.STORAGE_FULL, CommandFailures.of(full).code());
  }

  @Test
  void aFullReaderPoolIsOverloaded() {
    assertEquals(ErrorCode.OVERLOADED, CommandFailures.of(new WaitQueueTooBusyException()).code());
  }

  @Test
  void anythingElseIsInternalWithoutItsMessage() {
    CommandFailure answer = CommandFailures.of(new IllegalStateException("secret table layout"));
    assertEquals(ErrorCode.INTERNAL, answer.code());
    assertFalse(answer.getMessage().contains("secret"), answer.getMessage());
  }
}
