package io.tradestore.bench;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BenchReportTest {
  @Test
  void commandsInLargeCommitsWeighEachCommitByItsSize() {
    Histogram commandsPerCommit = new Histogram(3);
    commandsPerCommit.recordValueWithCount(1, 3);
    commandsPerCommit.recordValueWithCount(9, 1);
    commandsPerCommit.recordValueWithCount(10, 2);
    commandsPerCommit.recordValue(256);

    assertEquals(3 + 9 + 20 + 256, BenchReport.commandsIn(commandsPerCommit));
    assertEquals(20 + 256, BenchReport.commandsInCommitsOfAtLeast(commandsPerCommit, 10));
    assertEquals(0, BenchReport.commandsInCommitsOfAtLeast(commandsPerCommit, 257));
  }
}
