package io.tradestore.store;

import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqliteBusyTest {
  @Test
  void onlyBusyAndLockedCodesWithAnyExtendedCodeAreBusy() {
    assertTrue(SqliteBusy.isBusy(new SQLiteException("busy", SQLiteErrorCode.SQLITE_BUSY)));
    assertTrue(SqliteBusy.isBusy(new SQLiteException("snapshot", SQLiteErrorCode.SQLITE_BUSY_SNAPSHOT)));
    assertTrue(SqliteBusy.isBusy(new SQLiteException("recovery", SQLiteErrorCode.SQLITE_BUSY_RECOVERY)));
    assertTrue(SqliteBusy.isBusy(new SQLiteException("locked", SQLiteErrorCode.SQLITE_LOCKED)));
    assertTrue(SqliteBusy.isBusy(new RuntimeException(new SQLiteException("wrapped", SQLiteErrorCode.SQLITE_BUSY))));
    assertFalse(SqliteBusy.isBusy(new SQLiteException("syntax", SQLiteErrorCode.SQLITE_ERROR)));
    assertFalse(SqliteBusy.isBusy(new SQLiteException("constraint", SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE)));
    assertFalse(SqliteBusy.isBusy(new SQLException("other")));
    assertTrue(SqliteBusy.isBusy(new SQLException("from a pool", "HY000", 517)), "BUSY_SNAPSHOT as a plain error code");
  }
}
