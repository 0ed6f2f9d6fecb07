package io.tradestore.store.migration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Compares the files with the history before anything is written. Every mismatch refuses to run: a database that
 * does not match its files is one whose schema nobody knows any more, and migrating it further only hides that.
 */
final class MigrationValidator {
  private MigrationValidator() { }

  /**
   * @param userVersion {@code PRAGMA user_version}, or null when there is no history table to compare it with
   * @return the problems, most fundamental first; empty when the database and the files agree
   */
  static List<String> problems(List<MigrationFile> files, List<HistoryRow> history, Integer userVersion, String location) {
    List<String> problems = new ArrayList<>();
    Map<Integer, List<MigrationFile>> byVersion = files.stream()
        .collect(Collectors.groupingBy(MigrationFile::version, TreeMap::new, Collectors.toList()));
    Map<Integer, HistoryRow> applied = history.stream()
        .collect(Collectors.toMap(HistoryRow::version, Function.identity(), (a, b) -> a, TreeMap::new));
    int newestFile = files.stream().mapToInt(MigrationFile::version).max().orElse(0);
    int newestApplied = MigrationHistory.maxVersion(history);

    if (newestApplied > newestFile) {
      String newest = newestFile == 0 ? "there are no migration files"
          : "the newest file is " + byVersion.get(newestFile).get(0).fileName() + " (version " + newestFile + ")";
      problems.add("the database is at version " + newestApplied + " (" + applied.get(newestApplied).name() + ") but "
          + newest + " in " + location + ": this build is older than the database; run a build that has its migrations");
    }
    byVersion.forEach((version, sameVersion) -> {
      if (sameVersion.size() > 1) {
        problems.add("two files have version " + version + ": " + sameVersion.stream()
            .map(f -> f.fileName() + " (" + f.origin() + ")").collect(Collectors.joining(", "))
            + "; renumber all but one");
      }
    });
    applied.forEach((version, row) -> {
      List<MigrationFile> sameVersion = byVersion.get(version);
      if (sameVersion == null) {
        if (version <= newestFile) {
          problems.add("version " + version + " (" + row.name() + ") was applied on " + row.appliedAt()
              + " but its file is missing from " + location + "; restore " + String.format("%03d_%s.sql", version, row.name()));
        }
        return;
      }
      MigrationFile file = sameVersion.get(0);
      if (!file.checksum().equals(row.checksum())) {
        problems.add(file.fileName() + " (version " + version + ") was changed after it was applied on " + row.appliedAt()
            + ": database has " + row.checksum() + ", file has " + file.checksum()
            + "; restore the applied text and put the change into a new migration");
      }
    });
    for (MigrationFile file : files) {
      if (!applied.containsKey(file.version()) && file.version() < newestApplied) {
        problems.add(file.fileName() + " is not applied but the database is already at version " + newestApplied
            + ": files run in version order; renumber it above " + Math.max(newestApplied, newestFile));
      }
    }
    if (userVersion != null && userVersion != newestApplied) {
      problems.add("PRAGMA user_version is " + userVersion + " but schema_migrations says version " + newestApplied
          + ": something other than the migration runner changed it");
    }
    return problems;
  }

  /** @param listAll name every problem rather than the first and a count (for {@code migrate verify}) */
  static void validate(List<MigrationFile> files, List<HistoryRow> history, Integer userVersion, String location,
                       boolean listAll) {
    List<String> problems = problems(files, history, userVersion, location);
    if (problems.isEmpty()) {
      return;
    }
    if (listAll) {
      throw new MigrationException(String.join("; ", problems));
    }
    String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problem"
        + (problems.size() > 2 ? "s" : "") + "; migrate verify lists them all)" : "";
    throw new MigrationException(problems.get(0) + more);
  }
}
