package io.tradestore.store.migration;

import java.util.List;
import java.util.Optional;

/**
 * Rules every file must pass before anything runs. The runner owns the transaction around each file, so a file
 * must not control transactions itself: a {@code COMMIT} inside silently commits the runner's transaction and
 * the rest of the file runs in autocommit, beyond rollback. Pragmas that SQLite ignores or refuses inside a
 * transaction are refused too, as is a table rebuild without the directive that makes it safe.
 */
public final class MigrationLint {
  private MigrationLint() { }

  /** Throws for the first problem of the first file that has one. */
  public static void check(List<MigrationFile> files) {
    for (MigrationFile file : files) {
      check(file);
    }
  }

  public static void check(MigrationFile file) {
    checkPart(file, "up", file.up());
    checkPart(file, "down", file.down());
  }

  private static void checkPart(MigrationFile file, String part, List<SqlStatement> statements) {
    for (SqlStatement s : statements) {
      forbidden(s).ifPresent(reason -> {
        throw new MigrationException(file.fileName() + " line " + s.line() + " (" + part + " statement " + s.number()
            + "): " + reason);
      });
    }
    if (!file.foreignKeysOff()) {
      Optional<SqlStatement> drop = statements.stream().filter(MigrationLint::isDropTable).findFirst();
      Optional<SqlStatement> rename = statements.stream().filter(MigrationLint::isRenameTable).findFirst();
      if (drop.isPresent() && rename.isPresent()) {
        throw new MigrationException(file.fileName() + " line " + rename.get().line() + " (" + part + "): rebuilds a table "
            + "(DROP TABLE on line " + drop.get().line() + ", RENAME TO on line " + rename.get().line()
            + ") without the -- migrate:foreign-keys-off directive; with foreign keys on, dropping the old table "
            + "deletes or blocks the rows that reference it. Add the directive to the header (see migrations/README.md)");
      }
    }
  }

  /** Why the statement may not appear in a migration, if it may not. */
  static Optional<String> forbidden(SqlStatement s) {
    String first = s.word(0);
    switch (first) {
      case "BEGIN", "COMMIT", "END" -> {
        return Optional.of(first + " controls the transaction, which the runner owns (one transaction per file)");
      }
      case "ROLLBACK" -> {
        // ROLLBACK [TRANSACTION] TO [SAVEPOINT] x only unwinds a savepoint inside the runner's transaction.
        boolean toSavepoint = s.word(1).equals("TO") || (s.word(1).equals("TRANSACTION") && s.word(2).equals("TO"));
        return toSavepoint ? Optional.empty()
            : Optional.of("ROLLBACK controls the transaction, which the runner owns (ROLLBACK TO a savepoint is allowed)");
      }
      case "VACUUM" -> {
        return Optional.of("VACUUM cannot run inside a transaction; run it as maintenance, not as a migration");
      }
      case "ATTACH", "DETACH" -> {
        return Optional.of(first + " changes which databases the connection sees; a migration changes only this one");
      }
      case "PRAGMA" -> {
        String pragma = s.word(2).equals(".") ? s.word(3) : s.word(1);
        if (pragma.equals("JOURNAL_MODE")) {
          return Optional.of("PRAGMA journal_mode cannot change inside a transaction; the engine's configuration sets it");
        }
        if (pragma.equals("FOREIGN_KEYS")) {
          return Optional.of("PRAGMA foreign_keys has no effect inside a transaction; use the -- migrate:foreign-keys-off "
              + "directive in the header instead");
        }
        return Optional.empty();
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  static boolean isDropTable(SqlStatement s) {
    return s.word(0).equals("DROP") && s.word(1).equals("TABLE");
  }

  /** {@code ALTER TABLE [schema.]x RENAME TO y}, as opposed to renaming a column. */
  static boolean isRenameTable(SqlStatement s) {
    if (!s.word(0).equals("ALTER") || !s.word(1).equals("TABLE")) {
      return false;
    }
    int rename = s.word(3).equals(".") ? 5 : 3;
    return s.word(rename).equals("RENAME") && s.word(rename + 1).equals("TO");
  }
}
