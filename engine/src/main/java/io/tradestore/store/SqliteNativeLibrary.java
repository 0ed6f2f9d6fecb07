package io.tradestore.store;

import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;

/**
 * One copy of sqlite-jdbc's native library per user and version, kept between starts. Left alone, sqlite-jdbc copies
 * the library out of the jar into a new temporary file on every start, and a CLI verb pays for that copy (measured in
 * docs/performance.md, "CLI start time"). Given {@code org.sqlite.lib.path} and {@code org.sqlite.lib.name}, it loads
 * that file instead, and falls back to its own copy when the file cannot be loaded.
 *
 * <p>The cached file is named by the CRC-32 of the library inside the jar, so a new sqlite-jdbc, or a jar built for
 * another platform, never loads an old copy, and it is checked against that CRC before each use, so a truncated or
 * altered copy is written again. The folder must be the user's own and writable by no one else: code loaded from it
 * runs inside the engine. An operator's own {@code org.sqlite.lib.path} wins. Nothing here stops a start: when the
 * cache cannot be used, sqlite-jdbc extracts as it always did.
 */
public final class SqliteNativeLibrary {
  private static final Logger log = LoggerFactory.getLogger(SqliteNativeLibrary.class);

  static final String LIB_PATH = "org.sqlite.lib.path";
  static final String LIB_NAME = "org.sqlite.lib.name";
  /** Where the cache lives, when not under the user's cache folder. */
  public static final String CACHE_DIR_PROPERTY = "tradestore.cache.dir";

  private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

  private SqliteNativeLibrary() { }

  /**
   * Points sqlite-jdbc at the cached copy, writing it first when it is missing or does not match. Must run before
   * the first connection opens: sqlite-jdbc reads the properties once, when it loads its library.
   */
  public static void useCachedCopy() {
    if (System.getProperty(LIB_PATH) != null) {
      return;
    }
    cacheRoot().flatMap(SqliteNativeLibrary::cachedCopy).ifPresent(file -> {
      System.setProperty(LIB_PATH, file.getParent().toString());
      System.setProperty(LIB_NAME, file.getFileName().toString());
    });
  }

  /** {@code tradestore.cache.dir}, else {@code $XDG_CACHE_HOME/tradestore}, else {@code ~/.cache/tradestore}. */
  static Optional<Path> cacheRoot() {
    String configured = System.getProperty(CACHE_DIR_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured));
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && xdg.startsWith("/")) {
      return Optional.of(Path.of(xdg, "tradestore"));
    }
    String home = System.getProperty("user.home");
    if (home == null || !home.startsWith("/")) {
      return Optional.empty();
    }
    return Optional.of(Path.of(home, ".cache", "tradestore"));
  }

  /**
   * The verified copy of this platform's library under {@code root}, written there if needed; empty when this
   * platform has no library in the jar or the copy cannot be made safely (the reason is logged at debug).
   */
  static Optional<Path> cachedCopy(Path root) {
    String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
    URL url = SQLiteJDBCLoader.class.getResource(resource);
    if (url == null) {
      return Optional.empty();
    }
    try {
      long crc = resourceCrc(url);
      Path folder = root.resolve(String.format("sqlite-jdbc-%s-%08x", SQLiteJDBCLoader.getVersion(), crc));
      ownerOnlyFolder(root);
      ownerOnlyFolder(folder);
      Path file = folder.resolve(LibraryLoaderUtil.getNativeLibName());
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || fileCrc(file) != crc) {
        write(url, file);
        if (fileCrc(file) != crc) {
          throw new IOException("the copy written to " + file + " does not match the library in the jar");
        }
      }
      return Optional.of(file);
    } catch (IOException | RuntimeException e) {
      log.debug("sqlite-jdbc's native library is not cached under {}: {}; it extracts its own copy", root, e.toString());
      return Optional.empty();
    }
  }

  /** The CRC the jar records for the entry, without inflating it; computed from the bytes when not in a jar. */
  private static long resourceCrc(URL url) throws IOException {
    URLConnection connection = url.openConnection();
    if (connection instanceof JarURLConnection jar) {
      JarEntry entry = jar.getJarEntry();
      if (entry.getCrc() != -1) {
        return entry.getCrc();
      }
    }
    try (InputStream in = connection.getInputStream()) {
      return crc(in);
    }
  }

  private static long fileCrc(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      return crc(in);
    }
  }

  private static long crc(InputStream in) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[64 * 1024];
    for (int n; (n = in.read(buffer)) > 0; ) {
      crc.update(buffer, 0, n);
    }
    return crc.getValue();
  }

  /** Created owner-only if missing; an existing folder must be a real folder of this user's that no one else can write. */
  private static void ownerOnlyFolder(Path folder) throws IOException {
    if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(folder.getParent());
      try {
        Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // another process created it first: checked below like any existing folder
      }
    }
    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(folder + " is not a folder");
    }
    String owner = Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS).getName();
    if (!owner.equals(System.getProperty("user.name"))) {
      throw new IOException(folder + " belongs to " + owner);
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(folder, LinkOption.NOFOLLOW_LINKS);
    if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IOException(folder + " is writable by others (" + PosixFilePermissions.toString(permissions) + ")");
    }
  }

  /** Written beside the target and moved over it, so that a concurrent start sees either no file or a whole one. */
  private static void write(URL url, Path file) throws IOException {
    Path partial = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".partial",
        PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
    try {
      try (InputStream in = url.openStream(); OutputStream out = Files.newOutputStream(partial)) {
        in.transferTo(out);
      }
      try {
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(partial);
    }
  }
}
