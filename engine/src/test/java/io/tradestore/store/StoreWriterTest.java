package io.tradestore.store;

import io.tradestore.CommandFailure;
import io.tradestore.ErrorCode;
import io.tradestore.config.EngineConfig;
import io.tradestore.support.WriterFixture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.tradestore.support.WriterFixture.insert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreWriterTest {
  @TempDir Path dir;
  WriterFixture writer;
  Vertx vertx;
  EngineConfig config;
  Store store;

  @BeforeEach
  void open() throws Exception {
    writer = WriterFixture.open(dir, Map.of("database.busyTimeoutMs", 100, "writer.busyRetries", 2,
        "writer.queueCapacity", 100));
    vertx = writer.vertx;
    config = writer.config;
    store = writer.store;
  }

  @AfterEach
  void close() {
    writer.close();
  }

  @Test
  void aBurstOfCommandsSharesFewCommitsAndEveryOneIsDurableWhenAnswered() throws Exception {
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      all.add(store.writer().submit(Write.sql(insert("v" + i))));
    }
    Future.all(all).await(10, TimeUnit.SECONDS);
    assertEquals(50, writer.committedValues().size());
    assertTrue(store.writer().commitCount() < 50, "expected group commit, got " + store.writer().commitCount() + " commits");
  }

  @Test
  void aFailingCommandInABatchWritesNothingWhileTheOthersCommit() throws Exception {
    List<Future<Void>> all = new ArrayList<>();
    all.add(store.writer().submit(Write.sql(insert("a"))));
    all.add(store.writer().submit(Write.sql(tx -> tx.preparedQuery("INSERT INTO t (v) VALUES (?)").execute(Tuple.of("half"))
        .compose(x -> Future.failedFuture(new CommandFailure(ErrorCode.CONFLICT, "refused after a write"))))));
    all.add(store.writer().submit(Write.sql(insert("a")))); // UNIQUE violation: a database error of its own
    all.add(store.writer().submit(Write.sql(insert("b"))));
    Future.join(all).otherwiseEmpty().await(10, TimeUnit.SECONDS);
    assertTrue(all.get(0).succeeded());
    assertEquals(ErrorCode.CONFLICT, ((CommandFailure) all.get(1).cause()).code());
    assertEquals(ErrorCode.INTERNAL, ((CommandFailure) all.get(2).cause()).code());
    assertTrue(all.get(3).succeeded());
    assertEquals(List.of("a", "b"), writer.committedValues());
  }

  @Test
  void aLoneFailingCommandIsAnsweredWithItsOwnError() throws Exception {
    Future<Void> refused = store.writer().submit(Write.sql(tx -> Future.failedFuture(CommandFailure.invalid("quantity", "must be positive"))));
    ExecutionException error = assertThrows(ExecutionException.class,
        () -> refused.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    CommandFailure failure = assertInstanceOf(CommandFailure.class, error.getCause());
    assertEquals("quantity", failure.field());
    assertEquals(List.of(), writer.committedValues());
  }

  @Test
  void aFullQueueAnswersOverloadedAtOnce() throws Exception {
    // a command that keeps the writer busy for a while, so that nothing is drained while the 150 arrive
    Future<Void> busy = store.writer().submit(Write.sql(tx -> vertx.timer(500).mapEmpty()));
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      all.add(store.writer().submit(Write.sql(insert("v" + i))));
    }
    Future.join(all).otherwiseEmpty().await(10, TimeUnit.SECONDS);
    busy.await(10, TimeUnit.SECONDS);
    long overloaded = all.stream().filter(Future::failed)
        .filter(f -> ((CommandFailure) f.cause()).code() == ErrorCode.OVERLOADED).count();
    assertTrue(overloaded >= 50, "at least the commands beyond capacity are refused, got " + overloaded);
    assertEquals(150, overloaded + all.stream().filter(Future::succeeded).count());
  }

  @Test
  void aWriteLockHeldByAnotherProcessGivesDatabaseBusyAfterRetriesThenWritesResume() throws Exception {
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + config.database().path());
         Statement st = other.createStatement()) {
      st.executeUpdate("BEGIN IMMEDIATE");
      Future<Void> blocked = store.writer().submit(Write.sql(insert("x")));
      ExecutionException error = assertThrows(ExecutionException.class,
          () -> blocked.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
      assertEquals(ErrorCode.DATABASE_BUSY, ((CommandFailure) error.getCause()).code());
      assertTrue(store.writer().busyRetryCount() >= 2);
      st.executeUpdate("ROLLBACK");
    }
    store.writer().submit(Write.sql(insert("y"))).await(10, TimeUnit.SECONDS);
    assertEquals(List.of("y"), writer.committedValues());
  }

  @Test
  void closingCommitsEverythingAlreadyQueuedAndThenRefusesNewCommands() throws Exception {
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(store.writer().submit(Write.sql(insert("v" + i))));
    }
    store.close().await(10, TimeUnit.SECONDS);
    Future<Void> late = store.writer().submit(Write.sql(insert("late")));
    writer.storeClosedByTest();
    assertTrue(Future.all(all).await(10, TimeUnit.SECONDS) != null);
    assertEquals(ErrorCode.UNAVAILABLE, ((CommandFailure) late.cause()).code());
    assertEquals(20, writer.committedValues().size());
    Path wal = Path.of(config.database().path() + "-wal");
    assertTrue(!java.nio.file.Files.exists(wal) || java.nio.file.Files.size(wal) == 0,
        "the WAL is checkpointed into the database file on close");
  }

  @Test
  void theWriterRunsItsTransactionsAndItsStatementsOnAThreadOfItsOwn() throws Exception {
    String plain = store.writer().submit(Write.jdbc(session -> Thread.currentThread().getName())).await(10, TimeUnit.SECONDS);
    String viaClient = store.writer().submit(Write.<String>sql(tx -> tx.query("SELECT 1").execute()
        .map(rows -> Thread.currentThread().getName()))).await(10, TimeUnit.SECONDS);
    assertTrue(plain.startsWith(StoreWriter.THREAD_NAME), plain);
    assertTrue(viaClient.startsWith(StoreWriter.THREAD_NAME), viaClient);
  }

  @Test
  void closingVertxWithoutClosingTheStoreCommitsWhatIsQueuedAndALaterCloseDoesNotHang() throws Exception {
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(store.writer().submit(Write.sql(insert("v" + i))));
    }
    vertx.close().await(10, TimeUnit.SECONDS);
    assertTrue(Future.all(all).await(10, TimeUnit.SECONDS) != null);
    assertEquals(20, writer.committedValues().size());
    store.writer().drainAndStop().await(10, TimeUnit.SECONDS);
    store.writer().close().await(10, TimeUnit.SECONDS);
    writer.storeClosedByTest();
  }

  @Test
  void readersAreReadOnlyAndAreNotBlockedByAnOpenWriteTransaction() throws Exception {
    store.writer().submit(Write.sql(insert("committed"))).await(10, TimeUnit.SECONDS);
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + config.database().path());
         Statement st = other.createStatement()) {
      st.executeUpdate("BEGIN IMMEDIATE");
      st.executeUpdate("INSERT INTO t (v) VALUES ('uncommitted')");
      long count = store.readers().pool().query("SELECT count(*) AS n FROM t").execute()
          .map(rows -> rows.iterator().next().getLong("n")).await(5, TimeUnit.SECONDS);
      assertEquals(1L, count, "the reader sees the committed row only, without waiting for the lock");
      st.executeUpdate("ROLLBACK");
    }
    Future<?> write = store.readers().pool().query("INSERT INTO t (v) VALUES ('through a reader')").execute();
    Throwable error = assertThrows(Exception.class, () -> write.await(5, TimeUnit.SECONDS));
    assertTrue(String.valueOf(error.getMessage()).toLowerCase().contains("readonly")
        || String.valueOf(error.getCause()).toLowerCase().contains("readonly"), error.toString());
  }

  @Test
  void aCommandThatThrowsOrReturnsNothingIsAnsweredAndTheWriterKeepsWriting() throws Exception {
    Future<Void> nothing = store.writer().submit(Write.sql(tx -> null));
    Future<Void> thrown = store.writer().submit(Write.sql(tx -> {
      throw new AssertionError("a bug in a command");
    }));
    Future.join(nothing, thrown).otherwiseEmpty().await(10, TimeUnit.SECONDS);
    assertEquals(ErrorCode.INTERNAL, ((CommandFailure) nothing.cause()).code());
    assertEquals(ErrorCode.INTERNAL, ((CommandFailure) thrown.cause()).code());
    store.writer().submit(Write.sql(insert("after"))).await(10, TimeUnit.SECONDS);
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + config.database().path());
         Statement st = other.createStatement()) {
      st.executeUpdate("PRAGMA busy_timeout = 0");
      st.executeUpdate("BEGIN IMMEDIATE"); // the writer holds no lock: its transactions all ended
      st.executeUpdate("ROLLBACK");
    }
    assertEquals(List.of("after"), writer.committedValues());
  }

  @Test
  void commandsWithoutSavepointRefuseAloneButADatabaseErrorReRunsTheBatchOneByOne() throws Exception {
    List<Future<Void>> refusedOnly = new ArrayList<>();
    refusedOnly.add(store.writer().submit(Write.sql(insert("a"))));
    refusedOnly.add(store.writer().submit(Write.refusingBeforeWriting(tx -> Future.failedFuture(
        new CommandFailure(ErrorCode.CONFLICT, "refused before writing")))));
    refusedOnly.add(store.writer().submit(Write.refusingBeforeWriting(insert("b"))));
    Future.join(refusedOnly).otherwiseEmpty().await(10, TimeUnit.SECONDS);
    assertEquals(ErrorCode.CONFLICT, ((CommandFailure) refusedOnly.get(1).cause()).code());
    assertTrue(refusedOnly.get(0).succeeded() && refusedOnly.get(2).succeeded());

    List<Future<Void>> withError = new ArrayList<>();
    withError.add(store.writer().submit(Write.refusingBeforeWriting(insert("c"))));
    withError.add(store.writer().submit(Write.refusingBeforeWriting(insert("a")))); // UNIQUE violation: the whole batch fails...
    withError.add(store.writer().submit(Write.sql(insert("d"))));
    Future.join(withError).otherwiseEmpty().await(10, TimeUnit.SECONDS);
    assertEquals(ErrorCode.INTERNAL, ((CommandFailure) withError.get(1).cause()).code());
    assertTrue(withError.get(0).succeeded() && withError.get(2).succeeded(), "...and is re-run one by one");
    assertEquals(List.of("a", "b", "c", "d"), writer.committedValues());
  }

  private JdbcWork<String> insertOnJdbc(String value) {
    return tx -> {
      tx.batch("INSERT INTO t (v) VALUES (?)", List.of(Tuple.of(value)));
      return value;
    };
  }

  @Test
  void plainJdbcCommandsShareCommitsAndADatabaseErrorFailsOnlyItsOwnCommand() throws Exception {
    List<Future<String>> burst = new ArrayList<>();
    long commitsBefore = store.writer().commitCount();
    for (int i = 0; i < 50; i++) {
      burst.add(store.writer().submit(Write.jdbc(insertOnJdbc("j" + i))));
    }
    Future.all(burst).await(10, TimeUnit.SECONDS);
    assertEquals("j49", burst.get(49).result());
    assertTrue(store.writer().commitCount() - commitsBefore < 50, "the burst shared commits");

    List<Future<String>> withError = new ArrayList<>();
    withError.add(store.writer().submit(Write.jdbc(insertOnJdbc("k"))));
    withError.add(store.writer().submit(Write.jdbc(insertOnJdbc("j7")))); // UNIQUE violation: the batch fails...
    withError.add(store.writer().submit(Write.jdbc(insertOnJdbc("l"))));
    Future.join(withError).otherwiseEmpty().await(10, TimeUnit.SECONDS);
    assertEquals(ErrorCode.INTERNAL, ((CommandFailure) withError.get(1).cause()).code());
    assertTrue(withError.get(0).succeeded() && withError.get(2).succeeded(), "...and is re-run one by one");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      expected.add("j" + i);
    }
    expected.addAll(List.of("k", "l"));
    assertEquals(expected, writer.committedValues());
  }

  @Test
  void aPlainJdbcCommandFacingALockHeldElsewhereGetsDatabaseBusyAfterRetriesThenWritesResume() throws Exception {
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + config.database().path());
         Statement st = other.createStatement()) {
      st.executeUpdate("BEGIN IMMEDIATE");
      long retriesBefore = store.writer().busyRetryCount();
      Future<String> blocked = store.writer().submit(Write.jdbc(insertOnJdbc("x")));
      ExecutionException error = assertThrows(ExecutionException.class,
          () -> blocked.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
      assertEquals(ErrorCode.DATABASE_BUSY, ((CommandFailure) error.getCause()).code());
      // exactly the configured retries: each attempt waits a busy timeout, so one more would delay the 503
      assertEquals(2, store.writer().busyRetryCount() - retriesBefore, "1 + writer.busyRetries attempts, no more");
      st.executeUpdate("ROLLBACK");
    }
    assertEquals("y", store.writer().submit(Write.jdbc(insertOnJdbc("y"))).await(10, TimeUnit.SECONDS));
    assertEquals(List.of("y"), writer.committedValues());
  }
}
