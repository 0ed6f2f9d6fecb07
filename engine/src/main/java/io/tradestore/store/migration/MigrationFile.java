package io.tradestore.store.migration;

import java.util.List;
import java.util.Set;

/**
 * One parsed migration file {@code NNN_name.sql}.
 *
 * @param version     the number in the file name
 * @param name        the part after the number, without {@code .sql}
 * @param fileName    the file name, as messages name it
 * @param origin      where it was read from (a path or a URL), for messages about duplicates
 * @param description the first comment line of the header, or the name with spaces
 * @param directives  the {@code -- migrate:<directive>} lines of the header
 * @param up          the statements of the up part
 * @param down        the statements of the down part; empty when the file cannot be rolled back
 * @param checksum    {@link MigrationChecksum} of the whole file
 */
public record MigrationFile(int version, String name, String fileName, String origin, String description,
                            Set<Directive> directives, List<SqlStatement> up, List<SqlStatement> down,
                            String checksum) {
  public enum Directive {
    /**
     * {@code -- migrate:foreign-keys-off}: run the file with {@code PRAGMA foreign_keys=OFF}, set before the
     * transaction because SQLite ignores it inside one, and check {@code foreign_key_check} before commit.
     */
    FOREIGN_KEYS_OFF("foreign-keys-off");

    private final String text;

    Directive(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  public MigrationFile {
    directives = Set.copyOf(directives);
    up = List.copyOf(up);
    down = List.copyOf(down);
  }

  public boolean foreignKeysOff() {
    return directives.contains(Directive.FOREIGN_KEYS_OFF);
  }

  public boolean hasDown() {
    return !down.isEmpty();
  }
}
