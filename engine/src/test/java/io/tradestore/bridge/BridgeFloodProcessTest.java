package io.tradestore.bridge;

import io.tradestore.support.EngineProcess;
import io.tradestore.support.TestEngineConfig;
import io.tradestore.support.Trading;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine as a separate process with a 256 MiB heap, flooded through the bridge by clients that pipeline
 * orders without waiting for their replies (some never read them at all): it keeps answering an operator's
 * {@code trading.engine.info} and {@code /health/live}, its memory stays bounded, and SIGTERM still stops it cleanly.
 */
class BridgeFloodProcessTest {
  private static final int FLOODERS = 16;
  private static final int DEAF_FLOODERS = 4;
  private static final long FLOOD_MS = 12_000;
  /** Far above what a healthy 256 MiB engine uses, far below the gigabytes an unbounded one reached. */
  private static final long MAX_RSS_KIB = 900 * 1024;

  @TempDir Path dir;

  @Test
  void pipelinedFloodsLeaveTheEngineAnsweringWithBoundedMemoryAndStoppableBySigterm() throws Exception {
    int httpPort = TestEngineConfig.freePort();
    int bridgePort = TestEngineConfig.freePort();
    EngineProcess engine = EngineProcess.start(dir, Map.of("TRADESTORE_HTTP_PORT", String.valueOf(httpPort),
        "TRADESTORE_BRIDGE_PORT", String.valueOf(bridgePort)), "--db", "flood.db");
    List<Thread> threads = new ArrayList<>();
    AtomicBoolean flooding = new AtomicBoolean(true);
    AtomicLong sent = new AtomicLong();
    AtomicLong answered = new AtomicLong();
    try {
      engine.awaitOutput("ready in", Duration.ofSeconds(60));
      try (BridgeClient warmUp = new BridgeClient("127.0.0.1", bridgePort)) { // the first read opens the readers' path
        warmUp.request("trading.engine.info", new JsonObject(), "warm-up");
      }
      for (int c = 0; c < FLOODERS + DEAF_FLOODERS; c++) {
        boolean reads = c < FLOODERS;
        Socket socket = new Socket("127.0.0.1", bridgePort);
        threads.add(daemon(() -> flood(socket, flooding, sent)));
        if (reads) {
          threads.add(daemon(() -> drain(socket, answered)));
        }
      }
      long maxInfoMs = 0;
      long maxRssKib = 0;
      int infoRequests = 0;
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLOOD_MS);
      try (BridgeClient operator = new BridgeClient("127.0.0.1", bridgePort)) {
        while (System.nanoTime() < end) {
          long begun = System.nanoTime();
          JsonObject info = operator.request("trading.engine.info", new JsonObject(), "info-" + infoRequests++);
          assertEquals("message", info.getString("type"), info.encode());
          maxInfoMs = Math.max(maxInfoMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun));
          HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/live"))
              .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
          assertEquals(200, live.statusCode(), live.body());
          maxRssKib = Math.max(maxRssKib, rssKib(engine.process.pid()));
          Thread.sleep(200);
        }
      }
      System.out.printf("flood: %d frames sent, %d answers read, engine.info worst %d ms over %d requests, RSS peak %d MiB%n",
          sent.get(), answered.get(), maxInfoMs, infoRequests, maxRssKib / 1024);
      assertTrue(answered.get() > 1_000, "the flood was served, not just survived: " + answered.get());
      assertTrue(maxInfoMs < 5_000, "engine.info answered within 5 s under the flood, worst " + maxInfoMs + " ms");
      assertTrue(maxRssKib < MAX_RSS_KIB, "RSS stayed bounded: peak " + maxRssKib / 1024 + " MiB");
      assertFalse(engine.output().contains("OutOfMemoryError"), engine.output());

      engine.process.destroy(); // SIGTERM while the flooders still hold their connections
      assertEquals(0, engine.awaitExit(Duration.ofSeconds(60)), tail(engine.output()));
    } finally {
      flooding.set(false);
      engine.process.destroyForcibly();
    }
  }

  private static Thread daemon(Runnable work) {
    Thread thread = new Thread(work, "flooder");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** Writes order placements as fast as the socket takes them, never waiting for an answer. */
  private static void flood(Socket socket, AtomicBoolean flooding, AtomicLong sent) {
    try (socket; DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024))) {
      String account = Trading.id("flood");
      long n = 0;
      while (flooding.get()) {
        JsonObject frame = new JsonObject().put("type", "send").put("address", "trading.orders.place")
            .put("replyAddress", "r" + n)
            .put("body", Trading.limit(account + "-" + n++, account, "BTCUSDT", "BUY", "1", "100.5"));
        byte[] bytes = frame.encode().getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
        sent.incrementAndGet();
      }
    } catch (IOException e) {
      // the engine closed the connection (SIGTERM, or this client left too much unread): the flood ends here
    }
  }

  private static void drain(Socket socket, AtomicLong answered) {
    try {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      while (true) {
        in.readNBytes(in.readInt());
        answered.incrementAndGet();
      }
    } catch (IOException e) {
      // closed
    }
  }

  private static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }

  private static String tail(String output) {
    return output.length() < 4000 ? output : output.substring(output.length() - 4000);
  }
}
