package io.tradestore.support;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Watches what this JVM's log writes to standard error while it is open: the lines at level ERROR, and the lines
 * of a stack trace whatever their level. The engine logs through slf4j-simple, which looks up {@code System.err}
 * at every line, so a stream put in its place sees the engine's log as it is written (and passes it on unchanged).
 */
public final class ErrorLines implements AutoCloseable {
  private static final Pattern ERROR = Pattern.compile("^\\S+ ERROR |^\\s+at |^Caused by: |^(\\w+\\.)+\\w*(Exception|Error)(: |$)");

  private final PrintStream original;
  private final List<String> seen = new ArrayList<>();

  private ErrorLines() {
    original = System.err;
    System.setErr(new PrintStream(new Tee(), true, StandardCharsets.UTF_8));
  }

  public static ErrorLines watch() {
    return new ErrorLines();
  }

  /** How many error lines were seen so far: a mark for {@link #since}. */
  public synchronized int mark() {
    return seen.size();
  }

  /** The error lines seen after {@code mark}. */
  public synchronized List<String> since(int mark) {
    return List.copyOf(seen.subList(mark, seen.size()));
  }

  @Override
  public void close() {
    System.err.flush();
    System.setErr(original);
  }

  private synchronized void line(String line) {
    if (ERROR.matcher(line).find()) {
      seen.add(line);
    }
  }

  /** Passes every byte on, and hands each whole line to {@link #line}. */
  private final class Tee extends OutputStream {
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      original.write(b);
      scan(b);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
      original.write(bytes, offset, length);
      for (int i = offset; i < offset + length; i++) {
        scan(bytes[i]);
      }
    }

    private void scan(int b) {
      if (b == '\n') {
        line(current.toString(StandardCharsets.UTF_8));
        current.reset();
      } else {
        current.write(b);
      }
    }

    @Override
    public void flush() {
      original.flush();
    }
  }
}
