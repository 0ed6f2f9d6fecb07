package io.tradestore;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FileErrorsTest {
  @Test
  void theReasonIsSaidInWordsNotAsThePathAgain() {
    assertEquals("no such file or directory", FileErrors.reason(new NoSuchFileException("/proc/x.db")));
    assertEquals("permission denied", FileErrors.reason(new AccessDeniedException("/root/x.db")));
    assertEquals("read-only file system", FileErrors.reason(new FileSystemException("/ro/x.db", null, "Read-only file system")));
    assertEquals("disk on fire", FileErrors.reason(new IOException("disk on fire")));
  }

  @Test
  void whatTheFileSystemReallyThrowsIsNamed() {
    IOException thrown = assertThrows(IOException.class, () -> Files.createFile(Path.of("/no-such-folder-here/x.db")));
    assertEquals("no such file or directory", FileErrors.reason(thrown));
  }
}
