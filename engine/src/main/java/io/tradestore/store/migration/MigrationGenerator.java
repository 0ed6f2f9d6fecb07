package io.tradestore.store.migration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/** Writes the next numbered migration file with an empty up/down skeleton. */
public final class MigrationGenerator {
  private static final String SKELETON = """
      -- %s
      -- Add "-- migrate:foreign-keys-off" on its own line above "-- migrate:up" when this file rebuilds a table
      -- (see migrations/README.md). No BEGIN/COMMIT: the runner wraps each part in one transaction.

      -- migrate:up


      -- migrate:down

      """;

  private MigrationGenerator() { }

  /**
   * @param where the migrations the commands work on ({@link MigrationLocations}): the file goes into its folder,
   *              which is created if missing, numbered one above the highest version of all of them, so that it
   *              can never take the version of a shipped file
   * @param words the name, in one or several words: "add orders index" becomes {@code add_orders_index}
   * @return the file written
   */
  public static Path create(MigrationLocations where, String words) {
    String name = words.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
    if (name.isEmpty()) {
      throw new MigrationException("a migration needs a name made of letters or digits, not '" + words + "'");
    }
    Path directory = where.writeTo();
    try {
      Files.createDirectories(directory);
      List<MigrationFile> existing = where.resolver().resolve();
      for (MigrationFile f : existing) {
        if (f.name().equalsIgnoreCase(name)) {
          throw new MigrationException("a migration named " + name + " already exists: " + f.fileName());
        }
      }
      int next = existing.stream().mapToInt(MigrationFile::version).max().orElse(0) + 1;
      Path file = directory.resolve(String.format("%03d_%s.sql", next, name));
      Files.writeString(file, String.format(SKELETON, words.strip()), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
      return file;
    } catch (FileAlreadyExistsException e) {
      throw new MigrationException("migration file " + e.getFile() + " already exists");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a migration into " + directory + ": " + e.getMessage(), e);
    }
  }
}
