package io.tradestore.bench;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;

/**
 * What one load run measured: completions inside the measurement window, and the reply latency of each (in
 * microseconds; in an open-loop run from when the request was due, not when it was sent).
 */
record RunResult(String label, long commands, long fills, long errors, double seconds, Histogram latencyMicros,
                 String firstError, double offeredRate) {

  double commandsPerSecond() {
    return commands / seconds;
  }

  double fillsPerSecond() {
    return fills / seconds;
  }

  double percentileMillis(double percentile) {
    return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
  }

  double maxMillis() {
    return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getMaxValue() / 1000.0;
  }

  JsonObject toJson() {
    ByteBuffer buffer = ByteBuffer.allocate(latencyMicros.getNeededByteBufferCapacity());
    int length = latencyMicros.encodeIntoCompressedByteBuffer(buffer);
    byte[] bytes = new byte[length];
    buffer.flip();
    buffer.get(bytes);
    return new JsonObject().put("label", label).put("commands", commands).put("fills", fills).put("errors", errors)
        .put("seconds", seconds).put("histogram", Base64.getEncoder().encodeToString(bytes))
        .put("firstError", firstError).put("offeredRate", offeredRate);
  }

  static RunResult fromJson(JsonObject json) {
    try {
      Histogram histogram = Histogram.decodeFromCompressedByteBuffer(
          ByteBuffer.wrap(Base64.getDecoder().decode(json.getString("histogram"))), 0);
      return new RunResult(json.getString("label"), json.getLong("commands"), json.getLong("fills"),
          json.getLong("errors"), json.getDouble("seconds"), histogram, json.getString("firstError"),
          json.getDouble("offeredRate"));
    } catch (DataFormatException e) {
      throw new IllegalStateException("driver histogram unreadable", e);
    }
  }
}
