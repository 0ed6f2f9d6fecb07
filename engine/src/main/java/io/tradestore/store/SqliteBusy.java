package io.tradestore.store;

import org.sqlite.SQLiteException;

import java.sql.SQLException;

/**
 * Whether a failure is SQLite saying another connection is in the way ({@code SQLITE_BUSY} or {@code SQLITE_LOCKED},
 * with any extended code: {@code BUSY_SNAPSHOT}, {@code BUSY_RECOVERY}, ...), which a retry may get past, rather
 * than a property of the statement, which would fail the same way again. The writer and the migrations both ask.
 */
public final class SqliteBusy {
  private static final int SQLITE_BUSY = 5;
  private static final int SQLITE_LOCKED = 6;

  private SqliteBusy() { }

  public static boolean isBusy(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLiteException sqlite) {
        return isBusyCode(sqlite.getResultCode().code);
      }
      // a driver or pool that reports SQLite's result code without the SQLiteException type
      if (t instanceof SQLException sql && isBusyCode(sql.getErrorCode())) {
        return true;
      }
    }
    return false;
  }

  /** The primary result code is the low byte of an extended one. */
  private static boolean isBusyCode(int resultCode) {
    int primary = resultCode & 0xff;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
  }
}
