package io.tradestore.store;

import io.tradestore.CommandFailure;
import io.tradestore.ErrorCode;
import io.vertx.core.json.JsonObject;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A write that failed because of the storage under the database, not because of the command or a bug: what it is
 * answered with ({@link ErrorCode#STORAGE_FULL}, {@link ErrorCode#STORAGE_READ_ONLY},
 * {@link ErrorCode#STORAGE_UNAVAILABLE}, all 503: the client may retry once the operator has fixed it), the condition
 * behind it (SQLite's result code, or {@link DatabaseFile#REPLACED}), and a message naming the database and the cause.
 */
public record StorageFault(ErrorCode code, String condition, String message) {
  /**
   * SQLite reports some failed writes as an I/O error rather than {@code SQLITE_FULL} (a failed {@code fsync}, the
   * shared-memory file not growing): when the file system has less than this left, the disk being full is the cause.
   */
  static final long NEARLY_FULL_BYTES = 1024 * 1024;

  /** The fault behind {@code error} (anywhere in its causes), or empty when it is not a storage fault. */
  public static Optional<StorageFault> of(Throwable error, Path database) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof DatabaseFile.Replaced replaced) {
        return Optional.of(new StorageFault(ErrorCode.STORAGE_UNAVAILABLE, DatabaseFile.REPLACED, replaced.getMessage()));
      }
      if (t instanceof SQLiteException e) {
        return classify(e.getResultCode(), database);
      }
    }
    return Optional.empty();
  }

  private static Optional<StorageFault> classify(SQLiteErrorCode result, Path database) {
    String code = result.name();
    String db = database == null ? "the database" : database.toAbsolutePath().toString();
    if (result == SQLiteErrorCode.SQLITE_FULL || (code.startsWith("SQLITE_IOERR") && nearlyFull(database))) {
      return fault(ErrorCode.STORAGE_FULL, code, "the disk holding " + db + " is full (" + code
          + "): free space on it; writes succeed again once there is room");
    }
    if (result == SQLiteErrorCode.SQLITE_READONLY_DBMOVED) {
      return fault(ErrorCode.STORAGE_UNAVAILABLE, code, "the database file " + db
          + " was moved or deleted while the engine had it open (" + code + "): restore it from a backup (docs/operations.md)");
    }
    if (code.startsWith("SQLITE_READONLY") || result == SQLiteErrorCode.SQLITE_PERM) {
      return fault(ErrorCode.STORAGE_READ_ONLY, code, "the database " + db + " does not accept writes (" + code
          + "): the file, its folder or its file system is read-only for this process");
    }
    if (code.startsWith("SQLITE_IOERR") && result != SQLiteErrorCode.SQLITE_IOERR_NOMEM) {
      return fault(ErrorCode.STORAGE_UNAVAILABLE, code, "I/O error on " + db + " (" + code
          + "): check the disk and the kernel log");
    }
    if (code.startsWith("SQLITE_CANTOPEN")) {
      return fault(ErrorCode.STORAGE_UNAVAILABLE, code, "cannot open " + db + " or its journal (" + code
          + "): check that the file and its folder exist and are writable by this user");
    }
    if (code.startsWith("SQLITE_CORRUPT") || result == SQLiteErrorCode.SQLITE_NOTADB) {
      return fault(ErrorCode.STORAGE_UNAVAILABLE, code, "the database " + db + " is damaged (" + code
          + "): stop the engine and restore it from a backup (docs/operations.md)");
    }
    return Optional.empty();
  }

  private static Optional<StorageFault> fault(ErrorCode code, String condition, String message) {
    return Optional.of(new StorageFault(code, condition, message));
  }

  /** Only asked after a failed write, never on the way of a successful one. */
  private static boolean nearlyFull(Path database) {
    if (database == null) {
      return false;
    }
    try {
      Path folder = database.toAbsolutePath().getParent();
      return Files.getFileStore(folder).getUsableSpace() < NEARLY_FULL_BYTES;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  public CommandFailure toFailure() {
    return new CommandFailure(code, message);
  }

  /** For readiness: what is wrong and since when. */
  public JsonObject toJson() {
    return new JsonObject().put("error", code.name()).put("condition", condition).put("message", message);
  }
}
