package io.tradestore.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The file the OS (and SQLite, which resolves symbolic links itself before it names the -wal and -shm files)
 * really opens for a path: every symbolic link followed, in the file's name and in its folders, and {@code ..}
 * taken after the link it follows, as the OS takes it. Two paths to one database then give one answer, so
 * whatever is named after it (the engine lock) is one file too.
 */
public final class RealPath {
  /** Linux gives up after 40 links in one lookup (ELOOP); so do we, on a loop of dangling links. */
  private static final int MAX_LINKS = 40;

  private RealPath() { }

  /**
   * The real path of {@code file}. For a file that does not exist yet: the real path of where it will be created,
   * that is of its folder (itself resolved the same way if missing) plus its name, or, for a dangling link, of the
   * link's target, which is what SQLite creates when it opens the link.
   */
  public static Path of(Path file) {
    try {
      return resolve(file.toAbsolutePath(), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve the real path of " + file + ": " + e.getMessage(), e);
    }
  }

  private static Path resolve(Path path, int links) throws IOException {
    if (Files.exists(path)) {
      return path.toRealPath();
    }
    if (Files.isSymbolicLink(path)) {
      if (links >= MAX_LINKS) {
        throw new IOException("more than " + MAX_LINKS + " symbolic links, probably a loop");
      }
      return resolve(path.resolveSibling(Files.readSymbolicLink(path)), links + 1);
    }
    Path parent = path.getParent();
    if (parent == null) {
      return path;
    }
    return resolve(parent, links).resolve(path.getFileName());
  }

  /**
   * How many names (hard links) the existing file has; 1 where the file system cannot say. A symbolic link is
   * not followed: call it with a real path.
   */
  public static int hardLinks(Path realFile) {
    try {
      return ((Number) Files.getAttribute(realFile, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
    } catch (UnsupportedOperationException | IllegalArgumentException notUnix) {
      return 1;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the link count of " + realFile + ": " + e.getMessage(), e);
    }
  }
}
