package io.tradestore.bridge;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

/**
 * Cuts a socket's bytes into frames (4-byte big-endian length, then the body) without ever holding more than
 * one frame of at most {@code maxFrameBytes}: a length prefix out of bounds is reported before a byte of its body
 * is kept. Pausing stops both the frames already read and the socket, so nothing piles up while the connection
 * waits. It also knows since when a frame has been begun and not finished, which is how slow senders are found.
 */
final class FrameReader {
  private static final int PREFIX = 4;

  private final NetSocket socket;
  private final int maxFrameBytes;
  private final RecordParser parser = RecordParser.newFixed(PREFIX);
  private final Handler<Buffer> onFrame;
  private final Handler<Integer> onBadLength;
  private boolean readingPrefix = true;
  private boolean stopped;
  private long bytesReceived;
  private long bytesFramed;
  private long partialSinceNanos;

  FrameReader(NetSocket socket, int maxFrameBytes, Handler<Buffer> onFrame, Handler<Integer> onBadLength) {
    this.socket = socket;
    this.maxFrameBytes = maxFrameBytes;
    this.onFrame = onFrame;
    this.onBadLength = onBadLength;
    parser.handler(this::onRecord);
    socket.handler(this::onBytes);
  }

  private void onBytes(Buffer bytes) {
    if (stopped) {
      return;
    }
    bytesReceived += bytes.length();
    parser.handle(bytes);
    notePartial();
  }

  private void onRecord(Buffer record) {
    if (stopped) {
      return;
    }
    if (readingPrefix) {
      int length = record.getInt(0);
      if (length < 1 || length > maxFrameBytes) {
        stop();
        onBadLength.handle(length);
        return;
      }
      readingPrefix = false;
      parser.fixedSizeMode(length);
      return;
    }
    bytesFramed += PREFIX + record.length();
    partialSinceNanos = 0; // a frame finished: what is left is measured from now
    readingPrefix = true;
    parser.fixedSizeMode(PREFIX);
    onFrame.handle(record);
  }

  private void notePartial() {
    if (bytesReceived == bytesFramed) {
      partialSinceNanos = 0;
    } else if (partialSinceNanos == 0) {
      partialSinceNanos = System.nanoTime();
    }
  }

  void pause() {
    parser.pause();
    socket.pause();
  }

  void resume() {
    if (stopped) {
      return;
    }
    socket.resume();
    parser.resume(); // frames read before the pause are handed on now
    notePartial();
  }

  /** Drops everything from now on: the connection is being closed. */
  void stop() {
    stopped = true;
    parser.pause();
  }

  /**
   * Since when (System.nanoTime) bytes of an unfinished frame have been held with no frame finished, or 0. While
   * paused, whole frames may be held too: callers judge only a reading connection by it.
   */
  long partialSinceNanos() {
    return partialSinceNanos;
  }
}
