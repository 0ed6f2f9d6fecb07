package io.tradestore.store.migration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static io.tradestore.store.migration.MigrationFixtures.migration;
import static io.tradestore.store.migration.MigrationFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationResolverTest {
  @TempDir
  Path tmp;

  private static MigrationFile parse(String name, String text) {
    return MigrationResolver.parse(name, name, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void parsesHeaderDirectivesUpAndDownWithFileLineNumbers() {
    MigrationFile f = parse("007_rebuild_orders.sql", """
        -- Rebuild orders with a CHECK on side
        -- migrate:foreign-keys-off

        -- migrate:up
        CREATE TABLE a(x);
        CREATE TABLE b(x);
        -- migrate:down
        DROP TABLE b;
        """);
    assertEquals(7, f.version());
    assertEquals("rebuild_orders", f.name());
    assertEquals("Rebuild orders with a CHECK on side", f.description());
    assertTrue(f.foreignKeysOff());
    assertEquals(List.of(5, 6), f.up().stream().map(SqlStatement::line).toList());
    assertEquals(8, f.down().get(0).line());
  }

  @Test
  void checksumIgnoresCrlfAndBomButNotAJoinedCommentLine() {
    String text = migration("-- c\nCREATE TABLE a(x);", "DROP TABLE a;");
    String checksum = parse("001_a.sql", text).checksum();
    assertTrue(checksum.startsWith("sha256v1:"));
    assertEquals(checksum, parse("001_a.sql", text.replace("\n", "\r\n")).checksum());
    assertEquals(checksum, parse("001_a.sql", "\uFEFF" + text).checksum());
    assertEquals(checksum, parse("001_a.sql", text.replace("\n", "\r")).checksum());
    // Flyway's per-line CRC cannot tell these apart; the joined line turns the CREATE into a comment.
    MigrationFile joined = parse("001_a.sql", text.replace("-- c\nCREATE", "-- cCREATE"));
    assertNotEquals(checksum, joined.checksum());
    assertTrue(joined.up().isEmpty());
  }

  @Test
  void malformedFilesAreRefusedNamingFileAndProblem() {
    assertThrows(MigrationException.class, () -> parse("01_short.sql", migration("", "")));
    assertThrows(MigrationException.class, () -> parse("V1__flyway.sql", migration("", "")));
    assertTrue(assertThrows(MigrationException.class, () -> parse("001_a.sql", "CREATE TABLE a(x);"))
        .getMessage().startsWith("001_a.sql: no -- migrate:up"));
    assertTrue(assertThrows(MigrationException.class, () -> parse("001_a.sql", "-- migrate:up\nSELECT 1;"))
        .getMessage().contains("no -- migrate:down"));
    assertTrue(assertThrows(MigrationException.class, () -> parse("001_a.sql", "SELECT 1;\n" + migration("", "")))
        .getMessage().contains("line 1: SQL before -- migrate:up"));
    assertTrue(assertThrows(MigrationException.class, () -> parse("001_a.sql", "-- migrate:foreign_keys_off\n" + migration("", "")))
        .getMessage().contains("unknown directive"));
    assertTrue(assertThrows(MigrationException.class, () -> parse("001_a.sql", migration("-- migrate:foreign-keys-off", "")))
        .getMessage().contains("must be in the header"));
  }

  @Test
  void directoryListingSkipsNonSqlFilesAndSortsByVersion() {
    write(tmp, "010_ten.sql", migration("SELECT 10;", ""));
    write(tmp, "002_two.sql", migration("SELECT 2;", ""));
    write(tmp, "README.md", "not a migration");
    List<MigrationFile> files = new MigrationResolver(tmp.toString()).resolve();
    assertEquals(List.of(2, 10), files.stream().map(MigrationFile::version).toList());
  }

  @Test
  void missingDirectoryIsAnError() {
    assertThrows(MigrationException.class, () -> new MigrationResolver(tmp.resolve("nope").toString()).resolve());
  }

  @Test
  void classpathLocationListsAFolderOfAJar() throws IOException {
    Path jar = tmp.resolve("app.jar");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
      for (String name : List.of("migrations/", "migrations/001_first.sql", "migrations/002_second.sql")) {
        zip.putNextEntry(new ZipEntry(name));
        if (!name.endsWith("/")) {
          zip.write(migration("SELECT 1;", "").getBytes(StandardCharsets.UTF_8));
        }
        zip.closeEntry();
      }
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      List<MigrationFile> files = new MigrationResolver("classpath:migrations", loader).resolve();
      assertEquals(List.of("001_first.sql", "002_second.sql"), files.stream().map(MigrationFile::fileName).toList());
      // twice: the zip file system it opened must have been closed again
      assertEquals(2, new MigrationResolver("classpath:migrations", loader).resolve().size());
    }
  }

  @Test
  void classpathLocationListsAFolderOfADirectoryOnTheClasspath() throws IOException {
    write(tmp.resolve("classes/migrations"), "001_first.sql", migration("SELECT 1;", ""));
    try (URLClassLoader loader = new URLClassLoader(new URL[] {tmp.resolve("classes").toUri().toURL()}, null)) {
      assertEquals(1, new MigrationResolver("classpath:migrations", loader).resolve().size());
      assertEquals(0, new MigrationResolver("classpath:absent", loader).resolve().size());
    }
  }
}
