package io.tradestore.support;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a folder of a test's temp directory: a real disk that fills up, or a real read-only file
 * system (EROFS), which root cannot write through, unlike a file mode. Mounting needs root (or CAP_SYS_ADMIN); where
 * it is not permitted the test is skipped, with the reason printed.
 */
public final class Tmpfs implements AutoCloseable {
  public final Path mountPoint;
  private boolean mounted;

  private Tmpfs(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  /** Mounts a tmpfs of {@code size} (as mount(8) takes it: {@code 8m}) on {@code mountPoint}, created if needed. */
  public static Tmpfs mount(Path mountPoint, String size) throws Exception {
    Files.createDirectories(mountPoint);
    Tmpfs disk = new Tmpfs(mountPoint);
    String failed = disk.run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tradestore-test", mountPoint.toString());
    if (failed != null) {
      System.out.println("SKIPPED: cannot mount a tmpfs on " + mountPoint + " (" + failed + "); this test needs root");
    }
    Assumptions.assumeTrue(failed == null, () -> "cannot mount a tmpfs (needs root): " + failed);
    disk.mounted = true;
    return disk;
  }

  /** Makes the file system read-only: every write on it fails with EROFS, for root too. */
  public void remountReadOnly() throws Exception {
    String failed = run("mount", "-o", "remount,ro", mountPoint.toString());
    if (failed != null) {
      throw new IllegalStateException("remount read-only failed: " + failed);
    }
  }

  /** Writes zeros into {@code file} until the file system is full; returns the bytes written. */
  public long fill(Path file) throws IOException {
    byte[] block = new byte[64 * 1024];
    long written = 0;
    try (var out = Files.newOutputStream(file)) {
      while (true) {
        out.write(block);
        out.flush();
        written += block.length;
      }
    } catch (IOException full) {
      if (!String.valueOf(full.getMessage()).contains("No space left")) {
        throw full;
      }
    }
    // the last partial block: byte by byte, so that not one byte is left
    try (var out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND)) {
      while (true) {
        out.write(0);
        out.flush();
        written++;
      }
    } catch (IOException full) {
      return written;
    }
  }

  @Override
  public void close() throws Exception {
    if (mounted) {
      // lazy: a process that still has a file open there (a failed test's engine) must not keep the mount
      String failed = run("umount", "-l", mountPoint.toString());
      mounted = false;
      if (failed != null) {
        throw new IllegalStateException("umount " + mountPoint + " failed: " + failed);
      }
    }
  }

  /** Null when the command succeeded, else its output. */
  private String run(String... command) throws Exception {
    Process process;
    try {
      process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    } catch (IOException e) {
      return e.getMessage();
    }
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return String.join(" ", command) + " did not finish";
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + output;
  }
}
