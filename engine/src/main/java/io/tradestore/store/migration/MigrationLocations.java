package io.tradestore.store.migration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Which migrations the {@code migrate} commands and the engine's start work on, and where {@code create} writes the
 * next one: one answer for all, so that the file {@code create} writes is the one {@code status} lists as pending,
 * {@code up} applies and the engine then finds.
 *
 * <ul>
 *   <li>{@code --dir DIR}, or a folder as {@code migrations.location}: that folder alone, and create writes there;</li>
 *   <li>a classpath location (the default {@code classpath:migrations}: the files shipped in the jar, which cannot be
 *   written): those, and with them the files of {@code ./migrations} when the working directory has that folder (in
 *   a checkout, the shipped files' source; elsewhere, the operator's own); create writes there, numbered after the
 *   highest of both, so it never takes a shipped version.</li>
 * </ul>
 *
 * The engine's start ({@code --dir} aside) reads the same.
 *
 * @param read    the locations, read as one set ({@link MigrationResolver})
 * @param writeTo the folder create writes into
 */
public record MigrationLocations(List<String> read, Path writeTo) {
  /** Where, beside the shipped files, the commands look for more, and create writes. */
  public static final Path LOCAL_FOLDER = Path.of(".", "migrations");

  public MigrationLocations {
    read = List.copyOf(read);
  }

  /** @param dir {@code --dir}, or null */
  public static MigrationLocations of(String configured, Path dir) {
    return of(configured, dir, LOCAL_FOLDER);
  }

  static MigrationLocations of(String configured, Path dir, Path localFolder) {
    if (dir != null) {
      return new MigrationLocations(List.of(dir.toString()), dir);
    }
    if (configured == null || configured.isBlank()) {
      throw new MigrationException("no migrations location configured (migrations.location)");
    }
    if (!configured.startsWith(MigrationResolver.CLASSPATH_PREFIX)) {
      return new MigrationLocations(List.of(configured), Path.of(configured));
    }
    return new MigrationLocations(Files.isDirectory(localFolder) ? List.of(configured, localFolder.toString())
        : List.of(configured), localFolder);
  }

  public MigrationResolver resolver() {
    return new MigrationResolver(read);
  }
}
