package io.tradestore.export;

import io.tradestore.support.Repository;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/operations.md lists each export's columns exactly as the export writes them. */
class ExportDocsTest {
  @Test
  void everyExportsColumnsAreDocumentedInTheirOrder() throws Exception {
    String docs = Files.readString(Repository.path("docs", "operations.md"));
    for (ExportTable table : ExportTable.values()) {
      String row = "| `" + table.cliName() + "` | "
          + String.join(", ", table.columns().stream().map(c -> "`" + c.name() + "`").toList()) + " |";
      assertTrue(docs.contains(row), "docs/operations.md should have the row " + row);
    }
  }
}
