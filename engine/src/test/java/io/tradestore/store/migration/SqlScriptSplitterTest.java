package io.tradestore.store.migration;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlScriptSplitterTest {

  @Test
  void triggerBodyWithCaseIsOneStatement() {
    String script = """
        CREATE TABLE t(a, b);
        CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN
          UPDATE t SET b = CASE WHEN new.a > 0 THEN 'pos;itive' ELSE 'neg' END WHERE rowid = new.rowid;
          INSERT INTO t(a) SELECT CASE new.a WHEN 1 THEN 2 END WHERE 0;
        END;
        CREATE TEMP TRIGGER t_bd BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'no'); END;
        SELECT 1;
        """;
    List<SqlStatement> statements = SqlScriptSplitter.split(script, 10);
    assertEquals(4, statements.size());
    assertTrue(statements.get(1).sql().startsWith("CREATE TRIGGER t_ai"));
    assertTrue(statements.get(1).sql().endsWith("END;"));
    assertEquals(List.of(10, 11, 15, 16), statements.stream().map(SqlStatement::line).toList());
    assertEquals(List.of(1, 2, 3, 4), statements.stream().map(SqlStatement::number).toList());
  }

  @Test
  void semicolonsInsideLiteralsIdentifiersAndCommentsDoNotSplit() {
    String script = """
        -- a comment; with a semicolon
        INSERT INTO t VALUES ('a; -- not a comment', "we;ird", [br;acket], `back;tick`, 'it''s; fine');
        /* block; comment
           over lines; */
        INSERT INTO t VALUES (X'00FF'); -- trailing; comment
        """;
    List<SqlStatement> statements = SqlScriptSplitter.split(script, 1);
    assertEquals(2, statements.size());
    assertTrue(statements.get(0).sql().contains("'a; -- not a comment'"));
    assertEquals(2, statements.get(0).line());
    assertEquals(5, statements.get(1).line());
  }

  @Test
  void lastStatementWithoutSemicolonIsKeptAndEmptyStatementsAreDropped() {
    List<SqlStatement> statements = SqlScriptSplitter.split(";; CREATE TABLE a(x);;\n CREATE TABLE b(x)", 1);
    assertEquals(2, statements.size());
    assertEquals("CREATE TABLE b(x)", statements.get(1).sql());
  }

  @Test
  void bareBeginOutsideTriggerStaysAStatementOfItsOwn() {
    List<SqlStatement> statements = SqlScriptSplitter.split("BEGIN; CREATE TABLE a(x); COMMIT;", 1);
    assertEquals(List.of("BEGIN", "CREATE", "COMMIT"), statements.stream().map(s -> s.word(0)).toList());
  }

  @Test
  void unterminatedLiteralCommentAndTriggerAreErrorsNamingTheLine() {
    assertTrue(assertThrows(MigrationException.class, () -> SqlScriptSplitter.split("SELECT 1;\nSELECT 'oops;", 1))
        .getMessage().contains("line 2"));
    assertTrue(assertThrows(MigrationException.class, () -> SqlScriptSplitter.split("SELECT 1; /* never closed", 3))
        .getMessage().contains("line 3"));
    assertTrue(assertThrows(MigrationException.class,
        () -> SqlScriptSplitter.split("CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1;", 1))
        .getMessage().contains("without its END"));
  }
}
