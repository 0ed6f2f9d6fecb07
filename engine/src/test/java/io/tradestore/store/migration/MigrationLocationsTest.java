package io.tradestore.store.migration;

import io.tradestore.support.Repository;
import io.tradestore.support.ShippedMigrations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.tradestore.store.migration.MigrationFixtures.database;
import static io.tradestore.store.migration.MigrationFixtures.migration;
import static io.tradestore.store.migration.MigrationFixtures.settings;
import static io.tradestore.store.migration.MigrationFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One answer to where migrations live, for create as for status and up; {@code local} stands for ./migrations. */
class MigrationLocationsTest {
  private static final String SHIPPED = "classpath:migrations";

  @TempDir Path tmp;

  private Path local() {
    return tmp.resolve("migrations");
  }

  private List<MigrationStatus> status(MigrationLocations where) {
    return new MigrationRunner(database(tmp.resolve("t.db")), settings(tmp, false, tmp.resolve("backups")), where.resolver())
        .status();
  }

  /** The project's migrations/ folder copied, as a checkout has it beside the built jar. */
  private void copyOfTheShippedFiles() throws Exception {
    Files.createDirectories(local());
    try (Stream<Path> shipped = Files.list(Repository.path("migrations"))) {
      for (Path file : shipped.filter(p -> p.getFileName().toString().endsWith(".sql")).toList()) {
        Files.copy(file, local().resolve(file.getFileName()));
      }
    }
  }

  private static String next(String name) {
    return String.format("%03d_%s.sql", ShippedMigrations.latestVersion() + 1, name);
  }

  @Test
  void createWithoutALocalFolderNumbersAfterTheShippedFilesAndStatusListsTheNewOne() {
    Path created = MigrationGenerator.create(MigrationLocations.of(SHIPPED, null, local()), "add desk limits");
    assertEquals(local().resolve(next("add_desk_limits")), created);
    List<MigrationStatus> rows = status(MigrationLocations.of(SHIPPED, null, local()));
    assertEquals(ShippedMigrations.count() + 1, rows.size());
    MigrationStatus last = rows.get(rows.size() - 1);
    assertEquals(ShippedMigrations.latestVersion() + 1, last.version());
    assertEquals(MigrationStatus.State.PENDING, last.state());
  }

  @Test
  void inACheckoutTheSourceOfTheShippedFilesCountsOnceAndANewFileShowsWithoutARebuild() throws Exception {
    copyOfTheShippedFiles();
    MigrationLocations checkout = MigrationLocations.of(SHIPPED, null, local());
    assertEquals(List.of(SHIPPED, local().toString()), checkout.read());
    assertEquals(ShippedMigrations.count(), checkout.resolver().resolve().size());
    Path created = MigrationGenerator.create(checkout, "add desk limits");
    assertEquals(next("add_desk_limits"), created.getFileName().toString());
    assertEquals(next("add_desk_limits"), checkout.resolver().resolve().get(ShippedMigrations.count()).fileName());
  }

  @Test
  void aLocalFileTakingAShippedVersionIsRefusedNamingBoth() throws Exception {
    write(local(), "001_mine.sql", migration("CREATE TABLE mine(x);", ""));
    MigrationException e = assertThrows(MigrationException.class,
        () -> MigrationLocations.of(SHIPPED, null, local()).resolver().resolve());
    assertTrue(e.getMessage().startsWith("version 1 is 001_initial_schema.sql in classpath:migrations but 001_mine.sql in "
        + local()), e.getMessage());
  }

  @Test
  void aChangedCopyOfAShippedFileIsRefused() throws Exception {
    copyOfTheShippedFiles();
    Path first = local().resolve("001_initial_schema.sql");
    Files.writeString(first, Files.readString(first) + "\n-- edited after the jar was built\n");
    MigrationException e = assertThrows(MigrationException.class,
        () -> MigrationLocations.of(SHIPPED, null, local()).resolver().resolve());
    assertTrue(e.getMessage().contains("but a different 001_initial_schema.sql in " + local()), e.getMessage());
  }

  @Test
  void dirOrAFolderAsTheLocationIsReadAloneAndWrittenTo() throws Exception {
    copyOfTheShippedFiles();
    Path dir = tmp.resolve("mine");
    assertEquals(new MigrationLocations(List.of(dir.toString()), dir), MigrationLocations.of(SHIPPED, dir, local()));
    assertEquals(new MigrationLocations(List.of(dir.toString()), dir), MigrationLocations.of(dir.toString(), null, local()));
    assertEquals(dir.resolve("001_first.sql"), MigrationGenerator.create(MigrationLocations.of(SHIPPED, dir, local()), "first"));
  }

  @Test
  void withoutALocalFolderOnlyTheShippedFilesAreRead() {
    assertEquals(new MigrationLocations(List.of(SHIPPED), local()), MigrationLocations.of(SHIPPED, null, local()));
    assertEquals(ShippedMigrations.count(), MigrationLocations.of(SHIPPED, null, local()).resolver().resolve().size());
  }
}
