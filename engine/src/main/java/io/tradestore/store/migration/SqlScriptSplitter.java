package io.tradestore.store.migration;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a script into statements, each run on its own. sqlite-jdbc's {@code Statement.execute} runs only the
 * first statement of a string and drops the rest without an error, and {@code executeUpdate} runs them all but
 * cannot say which one failed; so the runner needs the statements one by one, with their line numbers.
 *
 * <p>A {@code ;} ends a statement unless it sits in a literal, a quoted identifier, a comment, or a block: a
 * trigger body ({@code CREATE [TEMP] TRIGGER ... BEGIN ... END}) or a {@code CASE ... END} expression, which may
 * nest inside the body. {@code BEGIN} opens a block only inside {@code CREATE TRIGGER}, so a stray
 * {@code BEGIN;} stays a statement of its own for the lint to report.
 */
public final class SqlScriptSplitter {
  private SqlScriptSplitter() { }

  /**
   * @param script    the script text with {@code \n} line breaks
   * @param firstLine the file line of the script's first character
   */
  public static List<SqlStatement> split(String script, int firstLine) {
    List<SqlToken> tokens = SqlTokenizer.tokenize(script, firstLine);
    List<SqlStatement> statements = new ArrayList<>();
    List<SqlToken> current = new ArrayList<>();
    int depth = 0;
    boolean trigger = false;
    for (SqlToken token : tokens) {
      if (token.kind() == SqlToken.Kind.PUNCTUATION && token.text().equals(";") && depth == 0) {
        if (!current.isEmpty()) {
          statements.add(statement(script, statements.size() + 1, current, token.end()));
          current = new ArrayList<>();
        }
        trigger = false;
        continue;
      }
      current.add(token);
      if (current.size() <= 3) {
        trigger = isCreateTrigger(current);
      }
      if (token.kind() != SqlToken.Kind.WORD) {
        continue;
      }
      if (token.isWord("CASE") || (trigger && token.isWord("BEGIN"))) {
        depth++;
      } else if (token.isWord("END") && depth > 0) {
        depth--;
      }
    }
    if (!current.isEmpty()) {
      if (depth > 0) {
        throw new MigrationException("statement starting at line " + current.get(0).line()
            + " has a BEGIN or CASE without its END");
      }
      statements.add(statement(script, statements.size() + 1, current, current.get(current.size() - 1).end()));
    }
    return statements;
  }

  private static boolean isCreateTrigger(List<SqlToken> head) {
    if (!head.get(0).isWord("CREATE") || head.size() < 2) {
      return false;
    }
    SqlToken second = head.get(1);
    if (second.isWord("TRIGGER")) {
      return true;
    }
    return head.size() == 3 && (second.isWord("TEMP") || second.isWord("TEMPORARY")) && head.get(2).isWord("TRIGGER");
  }

  private static SqlStatement statement(String script, int number, List<SqlToken> tokens, int end) {
    SqlToken first = tokens.get(0);
    return new SqlStatement(number, first.line(), script.substring(first.start(), end), tokens);
  }
}
