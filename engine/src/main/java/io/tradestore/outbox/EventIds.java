package io.tradestore.outbox;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

/**
 * Event ids: UUID version 7 (RFC 9562), a millisecond timestamp followed by random bits, increasing within a
 * millisecond. Consumers dedupe on them, so they must be unique across restarts (the random bits see to that); and
 * the outbox keeps a unique index on them, where a random (version 4) UUID lands on a random page of an index that
 * grows with the retained history: time-ordered ids append at its end instead (docs/performance.md, "Measurements
 * behind design choices").
 */
public final class EventIds {
  private static final TimeBasedEpochGenerator GENERATOR = Generators.timeBasedEpochGenerator();

  private EventIds() { }

  public static String next() {
    return GENERATOR.generate().toString();
  }
}
