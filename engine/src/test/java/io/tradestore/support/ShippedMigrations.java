package io.tradestore.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What the project's own migrations/ folder holds, so tests follow the schema as it grows. */
public final class ShippedMigrations {
  private ShippedMigrations() { }

  /** The highest version among migrations/NNN_name.sql: the schema version a fresh engine reaches. */
  public static int latestVersion() {
    try (Stream<Path> files = Files.list(Repository.path("migrations"))) {
      return files.map(p -> p.getFileName().toString())
          .filter(name -> name.matches("\\d{3,}_\\w+\\.sql"))
          .mapToInt(name -> Integer.parseInt(name.substring(0, name.indexOf('_'))))
          .max().orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many migration files there are: what a fresh database applies. */
  public static int count() {
    try (Stream<Path> files = Files.list(Repository.path("migrations"))) {
      return (int) files.filter(p -> p.getFileName().toString().matches("\\d{3,}_\\w+\\.sql")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
