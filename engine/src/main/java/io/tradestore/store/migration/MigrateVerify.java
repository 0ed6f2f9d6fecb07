package io.tradestore.store.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code migrate verify}: every check a start makes, without writing. The files parse and pass lint, the history
 * matches them, and a legacy database would be adopted. Throws naming every problem found.
 */
final class MigrateVerify {
  private final MigrationContext context;

  MigrateVerify(MigrationContext context) {
    this.context = context;
  }

  void run() {
    List<MigrationFile> files = context.resolveAndLint();
    DatabaseState state = context.readStateReadOnly();
    context.validate(files, state, true);
    if (state.isLegacy()) {
      try (Connection c = context.openReadOnly()) {
        new MigrationAdoption(context).checkAdoptable(c, files, state.legacyVersion());
      } catch (SQLException e) {
        throw new MigrationException("cannot read " + context.db().path() + ": " + e.getMessage(), e);
      }
    }
  }
}
