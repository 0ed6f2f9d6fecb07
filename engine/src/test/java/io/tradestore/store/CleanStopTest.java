package io.tradestore.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CleanStopTest {
  @TempDir Path dir;

  private Path database() throws Exception {
    Path db = dir.resolve("t.db");
    Files.write(db, new byte[8192]);
    return db;
  }

  @Test
  void aFileUntouchedSinceTheCleanStopIsRecognisedOnceAndTheMarkerIsOwnerOnly() throws Exception {
    Path db = database();
    CleanStop.record(db);
    Path marker = CleanStop.markerOf(db);
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(marker)));
    assertTrue(CleanStop.consume(db).isPresent());
    assertFalse(Files.exists(marker), "consumed: a crash during the next run leaves no marker");
    assertFalse(CleanStop.consume(db).isPresent());
  }

  @Test
  void anyChangeToTheFileSinceTheCleanStopMeansItIsChecked() throws Exception {
    Path db = database();
    CleanStop.record(db);
    Files.write(db, new byte[] {1}, StandardOpenOption.APPEND);
    assertFalse(CleanStop.consume(db).isPresent(), "size changed");

    CleanStop.record(db);
    Files.setLastModifiedTime(db, FileTime.from(Instant.now().plusSeconds(5)));
    assertFalse(CleanStop.consume(db).isPresent(), "written in place (modification time changed)");

    CleanStop.record(db);
    Files.write(Path.of(db + "-wal"), new byte[] {1, 2, 3});
    assertFalse(CleanStop.consume(db).isPresent(), "a WAL with content beside it");
  }

  @Test
  void aStopThatLeftAWalWithContentRecordsNothing() throws Exception {
    Path db = database();
    Files.write(Path.of(db + "-wal"), new byte[] {1});
    CleanStop.record(db);
    assertFalse(Files.exists(CleanStop.markerOf(db)));
  }
}
