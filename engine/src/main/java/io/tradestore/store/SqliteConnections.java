package io.tradestore.store;

import io.tradestore.config.EngineConfig;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * How every connection to the database is opened. The pragmas are set by sqlite-jdbc at open time, so no
 * connection, pooled or not, can be used before {@code foreign_keys} and {@code busy_timeout} are in force.
 */
public final class SqliteConnections {
  private SqliteConnections() { }

  /** The writer's settings: journal mode and synchronous apply to the file and to writes. */
  public static SQLiteDataSource writer(EngineConfig.Database db) {
    SQLiteConfig config = common(db);
    config.setJournalMode(SQLiteConfig.JournalMode.valueOf(db.journalMode().name()));
    config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(db.synchronous().name()));
    // a commit that takes the log past this runs a checkpoint itself while the writer's queue waits; with the
    // background checkpointer copying the log all along, that is rare and short (WalCheckpointer)
    config.setWalAutocheckpoint(db.walAutocheckpointPages());
    config.setJournalSizeLimit(walSizeLimitBytes(db));
    return dataSource(db.path(), config);
  }

  /**
   * What the -wal file is cut back to when the log restarts from its beginning ({@code PRAGMA journal_size_limit}):
   * twice the log the writer's checkpoint lets it reach. SQLite otherwise keeps the file at the largest size it ever
   * had, so a log that once grew far (a long read held it: a backup, an operator's query) kept that much disk for
   * good. Twice the normal size, so that in normal running the file never passes the limit and is never cut: a
   * file cut and grown again each cycle would cost a metadata sync on the commits that grow it.
   */
  static int walSizeLimitBytes(EngineConfig.Database db) {
    return (int) Math.min(Integer.MAX_VALUE, 2L * db.walAutocheckpointPages() * WAL_FRAME_BYTES);
  }

  /** A WAL frame: a 24-byte header and one page (the engine's databases keep SQLite's default page of 4 KiB). */
  static final long WAL_FRAME_BYTES = 4096 + 24;

  /**
   * Read-only through SQLite itself ({@code SQLITE_OPEN_READONLY}); vertx-jdbc-client's own read-only flag
   * breaks every statement on sqlite-jdbc. The journal mode is not touched: a reader cannot change it.
   */
  public static SQLiteDataSource reader(EngineConfig.Database db) {
    SQLiteConfig config = common(db);
    config.setReadOnly(true);
    return dataSource(db.path(), config);
  }

  /** A plain JDBC connection with the writer's settings, for tools that run outside the engine (migrations, backup). */
  public static Connection openDirect(EngineConfig.Database db) throws SQLException {
    SqliteFiles.prepareDatabaseFile(db.path());
    Connection connection = writer(db).getConnection();
    try (Statement st = connection.createStatement();
         ResultSet tables = st.executeQuery("SELECT count(*) FROM sqlite_master")) {
      if (tables.next() && tables.getInt(1) == 0) {
        // only possible before the first table: lets maintenance give free pages back without a full VACUUM.
        // Switching to WAL already wrote the header, so the setting takes effect through a VACUUM (instant here).
        st.executeUpdate("PRAGMA auto_vacuum = INCREMENTAL");
        st.executeUpdate("VACUUM");
      }
    }
    return connection;
  }

  private static SQLiteConfig common(EngineConfig.Database db) {
    SQLiteConfig config = new SQLiteConfig();
    config.enforceForeignKeys(true);
    config.setBusyTimeout(db.busyTimeoutMs());
    config.setCacheSize(-db.cacheSizeKib()); // negative: KiB rather than pages
    config.setTempStore(SQLiteConfig.TempStore.valueOf(db.tempStore().name()));
    return config;
  }

  private static SQLiteDataSource dataSource(Path path, SQLiteConfig config) {
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + path.toAbsolutePath());
    return ds;
  }
}
