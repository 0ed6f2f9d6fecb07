package io.tradestore.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository's own files (migrations/, docs/), which some tests read as a user would. The build names the
 * repository in {@code tradestore.repository}; run elsewhere (an IDE), the nearest folder up from the working
 * directory that holds {@code migrations/} is it.
 */
public final class Repository {
  private Repository() { }

  public static Path path(String first, String... more) {
    return root().resolve(Path.of(first, more));
  }

  private static Path root() {
    String named = System.getProperty("tradestore.repository");
    if (named != null) {
      return Path.of(named).toAbsolutePath().normalize();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("migrations"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no repository (a folder holding migrations/) above " + Path.of("").toAbsolutePath());
  }
}
