package io.tradestore.outbox;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventIdsTest {
  @Test
  void eventIdsAreVersion7UuidsThatIncreaseInTheOrderTheyAreMade() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(EventIds.next());
    }
    assertEquals(ids.size(), new HashSet<>(ids).size(), "unique");
    for (String id : ids) {
      UUID uuid = UUID.fromString(id);
      assertEquals(7, uuid.version(), id);
      assertEquals(2, uuid.variant(), id);
    }
    // the unique index on event_id grows at its end: text order is creation order
    for (int i = 1; i < ids.size(); i++) {
      assertTrue(ids.get(i - 1).compareTo(ids.get(i)) < 0, ids.get(i - 1) + " before " + ids.get(i));
    }
  }

  @Test
  void theTimestampOfAnEventIdIsTheMillisecondItWasMade() {
    long before = System.currentTimeMillis();
    UUID uuid = UUID.fromString(EventIds.next());
    long after = System.currentTimeMillis();
    long millis = uuid.getMostSignificantBits() >>> 16;
    assertTrue(millis >= before && millis <= after + 1, millis + " in [" + before + ", " + after + "]");
  }
}
