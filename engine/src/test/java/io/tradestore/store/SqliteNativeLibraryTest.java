package io.tradestore.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-user copy of sqlite-jdbc's native library that spares each start an extraction. */
class SqliteNativeLibraryTest {
  @TempDir Path tmp;

  private static byte[] libraryInJar() throws IOException {
    String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
    try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
      return in.readAllBytes();
    }
  }

  @Test
  void theFirstStartWritesAnOwnerOnlyCopyEqualToTheJarsLibraryAndTheNextReusesIt() throws Exception {
    Path root = tmp.resolve("cache");
    Path file = SqliteNativeLibrary.cachedCopy(root).orElseThrow();

    assertArrayEquals(libraryInJar(), Files.readAllBytes(file));
    assertTrue(file.getParent().getFileName().toString().startsWith("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion() + "-"),
        "named by version and CRC: " + file);
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

    Object firstWrite = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    assertEquals(Optional.of(file), SqliteNativeLibrary.cachedCopy(root));
    assertEquals(firstWrite, Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
        "the same file, not written again");
    try (var left = Files.list(file.getParent())) {
      assertEquals(1, left.count(), "no partial file left beside the copy");
    }
  }

  @Test
  void aTruncatedOrAlteredCopyIsWrittenAgainBeforeUse() throws Exception {
    Path root = tmp.resolve("cache");
    Path file = SqliteNativeLibrary.cachedCopy(root).orElseThrow();
    byte[] library = libraryInJar();

    Files.write(file, Arrays.copyOf(library, library.length / 2));
    assertArrayEquals(library, Files.readAllBytes(SqliteNativeLibrary.cachedCopy(root).orElseThrow()));

    byte[] altered = library.clone();
    altered[altered.length / 3] ^= 1;
    Files.write(file, altered);
    assertArrayEquals(library, Files.readAllBytes(SqliteNativeLibrary.cachedCopy(root).orElseThrow()));
  }

  @Test
  void aCacheFolderOthersCanWriteIsNotUsed() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("shared"));
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertEquals(Optional.empty(), SqliteNativeLibrary.cachedCopy(root));

    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
    Path file = SqliteNativeLibrary.cachedCopy(root).orElseThrow();
    Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwxrwx---"));
    assertEquals(Optional.empty(), SqliteNativeLibrary.cachedCopy(root), "the version's folder is checked too");
  }

  @Test
  void aCacheThatCannotBeCreatedLeavesSqliteToExtractItsOwnCopy() throws Exception {
    Path notAFolder = Files.writeString(tmp.resolve("file"), "x");
    assertEquals(Optional.empty(), SqliteNativeLibrary.cachedCopy(notAFolder));
    assertEquals(Optional.empty(), SqliteNativeLibrary.cachedCopy(notAFolder.resolve("below")));
  }

  @Test
  void aSymlinkInPlaceOfTheCopyIsReplacedByARealFile() throws Exception {
    Path root = tmp.resolve("cache");
    Path file = SqliteNativeLibrary.cachedCopy(root).orElseThrow();
    Path elsewhere = Files.write(tmp.resolve("elsewhere.so"), libraryInJar());
    Files.delete(file);
    Files.createSymbolicLink(file, elsewhere);

    Path again = SqliteNativeLibrary.cachedCopy(root).orElseThrow();
    assertTrue(Files.isRegularFile(again, java.nio.file.LinkOption.NOFOLLOW_LINKS), "not a link any more");
  }
}
