package io.tradestore.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine lock follows the real file, whatever path leads to it. In one JVM a second lock on the same lock file
 * is refused by the JVM itself; between processes by the OS (EngineProcessTest).
 */
class EngineLockTest {
  @TempDir Path dir;

  @Test
  void aSymbolicLinkToTheDatabaseFindsTheLockOfTheRealFile() throws Exception {
    Path db = Files.createFile(dir.resolve("engine.db"));
    Path link = Files.createSymbolicLink(dir.resolve("link.db"), Path.of("engine.db"));
    try (EngineLock held = EngineLock.acquire(db)) {
      IllegalStateException refused = assertThrows(IllegalStateException.class, () -> EngineLock.acquireShared(link));
      assertTrue(refused.getMessage().contains("link.db"), refused.getMessage());
    }
    try (EngineLock held = EngineLock.acquireShared(link)) {
      assertTrue(Files.exists(dir.toRealPath().resolve("engine.db.lock")));
      assertFalse(Files.exists(dir.resolve("link.db.lock")));
    }
  }

  @Test
  void aSymbolicLinkToAFolderOnTheWayFindsTheSameLock() throws Exception {
    Path real = Files.createDirectories(dir.resolve("real/data"));
    Files.createFile(real.resolve("engine.db"));
    Path linkedFolder = Files.createSymbolicLink(dir.resolve("linked"), real);
    try (EngineLock held = EngineLock.acquire(real.resolve("engine.db"))) {
      assertThrows(IllegalStateException.class, () -> EngineLock.acquire(linkedFolder.resolve("engine.db")));
    }
  }

  @Test
  void aDanglingLinkIsLockedAsTheFileSqliteWillCreateThroughIt() throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("link.db"), Path.of("later/engine.db"));
    Files.createDirectories(dir.resolve("later"));
    try (EngineLock held = EngineLock.acquire(link)) {
      assertTrue(Files.exists(dir.resolve("later/engine.db.lock")));
      assertThrows(IllegalStateException.class, () -> EngineLock.acquire(dir.resolve("later/engine.db")));
    }
  }

  @Test
  void aDatabaseInFoldersNotCreatedYetGetsThemOwnerOnlyWithTheLockInside() throws Exception {
    Path db = dir.resolve("new/folder/engine.db");
    try (EngineLock held = EngineLock.acquire(db)) {
      assertTrue(Files.exists(dir.resolve("new/folder/engine.db.lock")));
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("new/folder"))));
    }
  }

  @Test
  void aDatabaseFileWithASecondHardLinkIsRefusedByEitherName() throws Exception {
    Path db = Files.createFile(dir.resolve("engine.db"));
    Path second = Files.createLink(dir.resolve("second.db"), db);
    for (Path name : new Path[] {db, second}) {
      IllegalStateException refused = assertThrows(IllegalStateException.class, () -> EngineLock.acquireShared(name));
      assertTrue(refused.getMessage().contains("2 names (hard links)"), refused.getMessage());
    }
    Files.delete(second);
    try (EngineLock held = EngineLock.acquire(db)) {
      assertTrue(Files.exists(dir.resolve("engine.db.lock")), "one name again: the lock is taken");
    }
  }

  @Test
  void dotDotAfterALinkedFolderIsTakenAsTheOperatingSystemTakesIt() throws Exception {
    Path inner = Files.createDirectories(dir.resolve("a/b"));
    Path link = Files.createSymbolicLink(dir.resolve("l"), inner);
    // the OS resolves l first, then goes up from a/b: a/engine.db, not the dir/engine.db a textual normalize gives
    assertEquals(dir.toRealPath().resolve("a/engine.db"), RealPath.of(link.resolve("../engine.db")));
    Files.createFile(dir.resolve("a/engine.db"));
    assertEquals(dir.toRealPath().resolve("a/engine.db"), RealPath.of(link.resolve("../engine.db")));
  }

  @Test
  void aLoopOfDanglingLinksIsRefusedInsteadOfFollowedForever() throws Exception {
    Files.createSymbolicLink(dir.resolve("one.db"), Path.of("two.db"));
    Files.createSymbolicLink(dir.resolve("two.db"), Path.of("one.db"));
    java.io.UncheckedIOException refused = assertThrows(java.io.UncheckedIOException.class,
        () -> RealPath.of(dir.resolve("one.db")));
    assertTrue(refused.getMessage().contains("loop"), refused.getMessage());
  }
}
