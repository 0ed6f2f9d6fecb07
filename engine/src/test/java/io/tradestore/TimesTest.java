package io.tradestore;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The hand-written ISO text must be exactly what {@link Instant#toString} writes, so nothing a client parses changes. */
class TimesTest {
  @Test
  void isoTextIsExactlyTheInstantsOwnForAnyMillisecond() {
    Random random = new Random(11);
    long[] edges = {0, 1, 999, 1000, 59_999, 86_399_999, 86_400_000, 951_782_400_000L /* 2000-02-29 */,
        1_795_000_000_000L, 253_402_300_799_999L, 253_402_300_800_000L, -1, -86_400_001L, Long.MAX_VALUE / 1000};
    for (long millis : edges) {
      assertEquals(Instant.ofEpochMilli(millis).toString(), Times.iso(millis), "at " + millis);
    }
    for (int i = 0; i < 200_000; i++) {
      long millis = switch (i % 4) {
        case 0 -> random.nextLong(253_402_300_800_000L);     // any year to 9999
        case 1 -> 1_700_000_000_000L + random.nextLong(10_000_000_000L) / 1000 * 1000; // whole seconds: no fraction
        case 2 -> 1_700_000_000_000L + random.nextLong(1_000_000_000L); // days in a row, sharing the date prefix
        default -> random.nextLong(-62_000_000_000_000L, 400_000_000_000_000L); // before 1970 and after 9999
      };
      assertEquals(Instant.ofEpochMilli(millis).toString(), Times.iso(millis), "at " + millis);
    }
    assertNull(Times.iso(null));
  }
}
