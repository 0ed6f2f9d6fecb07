package io.tradestore.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tradestore.Addresses;
import io.tradestore.ErrorCode;
import io.vertx.core.json.JsonObject;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Per-address command meters: {@code tradestore.commands{address,outcome}} (outcome {@code ok}, {@code duplicate}
 * or an {@link ErrorCode} name) and the {@code tradestore.command.duration{address}} histogram, from the request
 * reaching its handler to the reply being sent.
 *
 * <p>One instance per engine, made at its start and passed to the verticles that serve commands, so that several
 * engines in one JVM keep their own registries.
 */
public final class CommandMetrics {

  /** What a handler reports to. */
  public interface Recorder {
    /** The command succeeded with {@code reply}; {@code receivedNanos} is {@link System#nanoTime()} at arrival. */
    void succeeded(long receivedNanos, JsonObject reply);

    /** The command was answered with a failure coded {@code code}. */
    void failed(long receivedNanos, ErrorCode code);
  }

  private final MeterRegistry registry;
  private final DomainMetrics domain;
  private final Map<String, AddressMeters> byAddress = new ConcurrentHashMap<>();

  public CommandMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.domain = DomainMetrics.of(registry);
  }

  /** The meters of one address, every known outcome registered at 0 so that rates exist before the first error. */
  public Recorder forAddress(String address) {
    return byAddress.computeIfAbsent(address, AddressMeters::new);
  }

  private final class AddressMeters implements Recorder {
    private final String address;
    private final Counter ok;
    private final Counter duplicate;
    private final EnumMap<ErrorCode, Counter> failures = new EnumMap<>(ErrorCode.class);
    private final Timer duration;
    private final boolean fills;

    AddressMeters(String address) {
      this.address = address;
      ok = counter("ok");
      // only commands that can be resent report duplicates: the others get the series if it ever happens
      duplicate = DomainMetrics.IDEMPOTENT_ADDRESSES.contains(address) ? counter("duplicate") : null;
      for (ErrorCode code : ErrorCode.values()) {
        failures.put(code, counter(code.name()));
      }
      duration = Timer.builder("tradestore.command.duration").tag("address", address)
          .description("From a command reaching its handler to its outcome (success or failure), just before the reply is sent")
          .serviceLevelObjectives(LatencyBuckets.SUB_MILLIS_TO_SECONDS)
          .register(registry);
      fills = Addresses.FILLS_RECORD.equals(address);
    }

    private Counter counter(String outcome) {
      return Counter.builder("tradestore.commands").tag("address", address).tag("outcome", outcome)
          .description("Commands answered, by address and outcome (ok, duplicate, or the error code)")
          .register(registry);
    }

    @Override
    public void succeeded(long receivedNanos, JsonObject reply) {
      duration.record(System.nanoTime() - receivedNanos, TimeUnit.NANOSECONDS);
      if (reply != null && Boolean.TRUE.equals(reply.getValue("duplicate"))) {
        (duplicate != null ? duplicate : counter("duplicate")).increment();
        domain.duplicateDetected(address);
        return;
      }
      ok.increment();
      if (fills && reply != null && reply.getValue("fill") instanceof JsonObject fill) {
        domain.fillRecorded(Boolean.TRUE.equals(fill.getValue("late")));
      }
    }

    @Override
    public void failed(long receivedNanos, ErrorCode code) {
      duration.record(System.nanoTime() - receivedNanos, TimeUnit.NANOSECONDS);
      failures.get(code).increment();
    }
  }
}
