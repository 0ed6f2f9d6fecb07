package io.tradestore.support;

import io.tradestore.store.SqliteNativeLibrary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The engine's command line run as a real separate JVM, with its output captured in a file. */
public final class EngineProcess {
  public final Process process;
  public final Path log;

  private EngineProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  public static EngineProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
    return start(workDir, env, List.of(), System.getProperty("java.class.path"), args);
  }

  /**
   * Started through {@code launcher} (e.g. {@code setpriv} to run as another user) on {@code classPath}; the natives
   * folder is made readable and writable by all, for that user.
   */
  public static EngineProcess start(Path workDir, Map<String, String> env, List<String> launcher, String classPath,
                                    String... args) throws IOException {
    List<String> command = new ArrayList<>(launcher);
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx256m");
    Path natives = Files.createDirectories(workDir.resolve("natives-" + System.nanoTime()));
    if (!launcher.isEmpty()) {
      Files.setPosixFilePermissions(natives, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    }
    command.add("-Dorg.sqlite.tmpdir=" + natives);
    command.add("-D" + SqliteNativeLibrary.CACHE_DIR_PROPERTY + "=" + natives.resolve("cache"));
    // Vert.x's file cache goes under the test's folder too: a killed engine cannot delete it, and /tmp would keep it
    // (beside the natives, which another user running the engine may write)
    command.add("-Dvertx.cacheDirBase=" + natives.resolve("vertx-cache"));
    command.add("-cp");
    command.add(classPath);
    command.add("io.tradestore.cli.Main");
    command.addAll(List.of(args));
    Path log = Files.createTempFile(workDir, "engine-", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return new EngineProcess(builder.start(), log);
  }

  public String output() throws IOException {
    return Files.readString(log);
  }

  /** Waits until the output contains {@code text}; fails if the process ends first or time runs out. */
  public void awaitOutput(String text, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (output().contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("process exited with " + process.exitValue() + " before printing '" + text + "':\n" + output());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no '" + text + "' within " + timeout + ":\n" + output());
  }

  /**
   * SIGKILL ({@link Process#destroyForcibly()} on Linux): no handler runs, nothing is flushed or closed by the JVM;
   * returns once the process is gone, so that the next start finds its file locks and ports released.
   */
  public int kill(Duration timeout) throws Exception {
    process.destroyForcibly();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("process " + process.pid() + " still alive " + timeout + " after SIGKILL");
    }
    return process.exitValue();
  }

  public int awaitExit(Duration timeout) throws Exception {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("process did not exit within " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }
}
