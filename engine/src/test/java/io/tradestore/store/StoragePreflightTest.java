package io.tradestore.store;

import io.tradestore.support.EngineProcess;
import io.tradestore.support.TestEngineConfig;
import io.tradestore.support.Tmpfs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A database the engine cannot write stops the start with exit code 1 and a line naming the cause, found before
 * SQLite opens the file: a read-only mount, a file or a folder the engine's user may not write.
 *
 * <p>The suite runs as root, and root writes through any file mode: a {@code chmod 400} file is writable for it. So
 * the file-mode cases run the engine as {@code nobody} (through {@code setpriv}, on a copy of the class path that
 * user can read) when the suite is root, and as the suite's own user otherwise; a read-only mount is refused to
 * root as well (EROFS) and is tested as root.
 */
class StoragePreflightTest {
  private static final int NOBODY = 65534;
  @TempDir Path dir;

  private Map<String, String> ports() {
    return Map.of("TRADESTORE_HTTP_PORT", String.valueOf(TestEngineConfig.freePort()),
        "TRADESTORE_BRIDGE_PORT", String.valueOf(TestEngineConfig.freePort()));
  }

  @Test
  void aReadOnlyMountIsNamedAsSuch() throws Exception {
    try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), "16m")) {
      Path db = disk.mountPoint.resolve("tradestore.db");
      EngineProcess first = EngineProcess.start(dir, ports(), "--db", db.toString());
      first.awaitOutput("ready in", Duration.ofSeconds(30));
      first.process.destroy(); // a clean stop leaves tradestore.db.clean, which the next start removes
      assertEquals(0, first.awaitExit(Duration.ofSeconds(30)), first.output());
      disk.remountReadOnly();

      EngineProcess second = EngineProcess.start(dir, ports(), "--db", db.toString());
      assertEquals(1, second.awaitExit(Duration.ofSeconds(30)), second.output());
      String output = second.output();
      assertTrue(output.contains("cannot start: the database " + db + " is on a read-only file system"), output);
      assertFalse(output.contains("\tat "), output);
    }
  }

  @Test
  void aDatabaseFileTheEnginesUserMayNotWriteIsNamed() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path db = data.resolve("tradestore.db");
    createDatabase(db);
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("r--------"));
    List<String> launcher = asAnotherUserIfRoot(data, true);

    EngineProcess engine = EngineProcess.start(dir, ports(), launcher, classPath(launcher), "--db", db.toString());
    assertEquals(1, engine.awaitExit(Duration.ofSeconds(30)), engine.output());
    String output = engine.output();
    assertTrue(output.contains("cannot start: the database file " + db + " is not writable by this user"), output);
    assertTrue(output.contains("mode r--------"), output);
  }

  @Test
  void aFolderTheEnginesUserMayNotWriteIsNamed() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path db = data.resolve("tradestore.db");
    createDatabase(db);
    List<String> launcher = asAnotherUserIfRoot(data, false); // the files are the user's, the folder is not
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString(launcher.isEmpty() ? "r-x------" : "rwxr-xr-x"));
    try {
      EngineProcess engine = EngineProcess.start(dir, ports(), launcher, classPath(launcher), "--db", db.toString());
      assertEquals(1, engine.awaitExit(Duration.ofSeconds(30)), engine.output());
      String output = engine.output();
      assertTrue(output.contains("cannot start: the folder " + data + " is not writable by this user"), output);
      assertTrue(output.contains("-wal and -shm"), output);
    } finally {
      Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------")); // for @TempDir's cleanup
    }
  }

  private void createDatabase(Path db) throws Exception {
    EngineProcess migrate = EngineProcess.start(dir, Map.of(), "migrate", "up", "--db", db.toString());
    assertEquals(0, migrate.awaitExit(Duration.ofSeconds(30)), migrate.output());
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * As root: {@code setpriv} to nobody, with the files in {@code data} (and the folder itself when {@code folderToo})
   * given to nobody and the temp folder made traversable. Otherwise nothing: the suite's user honours file modes.
   */
  private List<String> asAnotherUserIfRoot(Path data, boolean folderToo) throws Exception {
    if (!root()) {
      return List.of();
    }
    Assumptions.assumeTrue(new File("/usr/bin/setpriv").canExecute(), "no setpriv to run the engine as nobody");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
    try (Stream<Path> files = Files.walk(data)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (folderToo || !p.equals(data)) {
          Files.setOwner(p, users.lookupPrincipalByName("nobody"));
        }
      }
    }
    return List.of("/usr/bin/setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups");
  }

  /** The suite's class path, or a copy of it that nobody can read (the originals sit under root's home). */
  private String classPath(List<String> launcher) throws IOException {
    String own = System.getProperty("java.class.path");
    if (launcher.isEmpty()) {
      return own;
    }
    Path copy = Files.createDirectories(dir.resolve("classpath"));
    List<String> entries = new ArrayList<>();
    int n = 0;
    for (String entry : own.split(File.pathSeparator)) {
      Path source = Path.of(entry);
      if (!Files.exists(source)) {
        continue;
      }
      Path target = copy.resolve((n++) + "-" + source.getFileName());
      try (Stream<Path> files = Files.walk(source)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Path to = target.resolve(source.relativize(f).toString());
          if (Files.isDirectory(f)) {
            Files.createDirectories(to);
          } else {
            Files.copy(f, to);
          }
        }
      }
      entries.add(target.toString());
    }
    try (Stream<Path> files = Files.walk(copy)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
