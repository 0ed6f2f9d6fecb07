package io.tradestore.store.migration;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code migrate status} and the version questions the engine's start asks; reads only. */
final class MigrationInfo {
  private final MigrationContext context;

  MigrationInfo(MigrationContext context) {
    this.context = context;
  }

  /** One row per file and per applied version without a file, by version. Does not lint or validate. */
  List<MigrationStatus> status() {
    List<MigrationFile> files = context.resolver().resolve();
    DatabaseState state = context.readStateReadOnly();
    Map<Integer, HistoryRow> applied = new HashMap<>();
    state.history().forEach(r -> applied.put(r.version(), r));
    List<MigrationStatus> rows = new ArrayList<>();
    for (MigrationFile f : files) {
      HistoryRow row = applied.get(f.version());
      if (row == null) {
        rows.add(new MigrationStatus(f.version(), f.name(), MigrationStatus.State.PENDING, f.checksum(), null, null));
      } else {
        MigrationStatus.State s = !row.checksum().equals(f.checksum()) ? MigrationStatus.State.CHANGED
            : row.isBaseline() ? MigrationStatus.State.BASELINE : MigrationStatus.State.APPLIED;
        rows.add(new MigrationStatus(f.version(), f.name(), s, f.checksum(), row.appliedAt(), row.durationMs()));
      }
    }
    for (HistoryRow row : state.history()) {
      if (files.stream().noneMatch(f -> f.version() == row.version())) {
        rows.add(new MigrationStatus(row.version(), row.name(), MigrationStatus.State.MISSING, row.checksum(),
            row.appliedAt(), row.durationMs()));
      }
    }
    rows.sort(Comparator.comparingInt(MigrationStatus::version));
    return rows;
  }

  /** The max applied version (for a database not yet adopted: its legacy version), 0 for an empty database. */
  int currentVersion() {
    return context.readStateReadOnly().currentVersion();
  }

  /** How many files {@code up} would apply; throws when validation fails. */
  int pendingCount() {
    List<MigrationFile> files = context.resolveAndLint();
    DatabaseState state = context.readStateReadOnly();
    context.validate(files, state, false);
    return MigrateUp.pending(files, state, Integer.MAX_VALUE).size();
  }
}
