package io.tradestore.bench.start;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The same migrations written for both tools: a table, then an index on it, alternately. tradestore's files carry
 * an up and a down part ({@code 001_create_table_t1.sql}); Flyway's the same up statement ({@code V1__create_table_t1.sql}).
 */
record MigrationSet(Path tradestoreDir, Path flywayDir, int count) {
  static MigrationSet write(Path root, int count) throws IOException {
    Path tradestore = Files.createDirectories(root.resolve("tradestore"));
    Path flyway = Files.createDirectories(root.resolve("flyway"));
    for (int i = 1; i <= count; i++) {
      String name;
      String up;
      String down;
      if (i % 2 == 1) {
        name = "create_table_t" + i;
        up = "CREATE TABLE t" + i + " (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER NOT NULL DEFAULT 0, created_at INTEGER);";
        down = "DROP TABLE t" + i + ";";
      } else {
        int table = i - 1;
        name = "index_t" + table + "_name";
        up = "CREATE INDEX t" + table + "_by_name ON t" + table + " (name, qty);";
        down = "DROP INDEX t" + table + "_by_name;";
      }
      String title = "-- " + name.replace('_', ' ') + "\n";
      Files.writeString(tradestore.resolve(String.format("%03d_%s.sql", i, name)),
          title + "-- migrate:up\n" + up + "\n\n-- migrate:down\n" + down + "\n");
      Files.writeString(flyway.resolve("V" + i + "__" + name + ".sql"), title + up + "\n");
    }
    return new MigrationSet(tradestore, flyway, count);
  }
}
