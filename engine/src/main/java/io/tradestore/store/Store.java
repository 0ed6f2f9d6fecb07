package io.tradestore.store;

import io.tradestore.config.EngineConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.nio.file.Files;
import java.nio.file.Path;

/** The open database: its one writer, its readers, and the background WAL checkpointer (when on). */
public final class Store {
  private final EngineConfig.Database settings;
  private final StoreWriter writer;
  private final StoreReaders readers;
  private final WalCheckpointer checkpointer;

  private Store(EngineConfig.Database settings, StoreWriter writer, StoreReaders readers, WalCheckpointer checkpointer) {
    this.settings = settings;
    this.writer = writer;
    this.readers = readers;
    this.checkpointer = checkpointer;
  }

  /** Opens the writer first (it sets the journal mode), then the readers and the checkpointer. Call on a Vert.x context. */
  public static Future<Store> open(Vertx vertx, EngineConfig config) {
    return StoreWriter.open(vertx, config.database(), config.writer()).compose(writer -> {
      StoreReaders readers = null;
      try {
        readers = StoreReaders.open(vertx, config.database(), config.readers());
        return Future.succeededFuture(new Store(config.database(), writer, readers, WalCheckpointer.start(vertx, config.database())));
      } catch (RuntimeException e) {
        // nothing may stay open: the caller has no store to close
        Future<Void> closed = readers == null ? Future.succeededFuture() : readers.close();
        return closed.eventually(writer::close).transform(x -> Future.failedFuture(e));
      }
    });
  }

  public StoreWriter writer() {
    return writer;
  }

  public StoreReaders readers() {
    return readers;
  }

  /** Null when background checkpoints are off. */
  public WalCheckpointer checkpointer() {
    return checkpointer;
  }

  public Path path() {
    return settings.path();
  }

  /**
   * The database as a reader sees it: schema version, journal mode, foreign keys, file sizes. Fails when the
   * database cannot be read.
   */
  public Future<JsonObject> describe() {
    return readers.pool().withConnection(c -> c.query("""
            SELECT (SELECT coalesce(max(version), 0) FROM schema_migrations) AS schema_version,
                   (SELECT journal_mode FROM pragma_journal_mode) AS journal_mode,
                   (SELECT foreign_keys FROM pragma_foreign_keys) AS foreign_keys
            """).execute())
        .map(rows -> {
          Row row = rows.iterator().next();
          return new JsonObject()
              .put("schemaVersion", row.getInteger("schema_version"))
              .put("journalMode", row.getString("journal_mode"))
              .put("foreignKeys", row.getInteger("foreign_keys") == 1)
              .put("databaseBytes", size(settings.path()))
              .put("walBytes", size(Path.of(settings.path() + "-wal")));
        });
  }

  /** Finishes queued writes, closes the readers and the checkpointer, then checkpoints and closes the writer. */
  public Future<Void> close() {
    return writer.drainAndStop().eventually(readers::close)
        .eventually(() -> checkpointer == null ? Future.succeededFuture() : checkpointer.close())
        .eventually(writer::close);
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0L;
    } catch (java.io.IOException e) {
      return -1L;
    }
  }
}
