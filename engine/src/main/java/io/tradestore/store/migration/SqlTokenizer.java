package io.tradestore.store.migration;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQLite SQL into tokens the way SQLite's own tokenizer draws their boundaries (tokenize.c): quotes
 * ({@code ' " ` [ ]}), {@code --} and {@code /* *}{@code /} comments. It does not parse; it only has to know
 * where a {@code ;} or a keyword is real and where it sits inside a literal or a comment.
 */
final class SqlTokenizer {
  private SqlTokenizer() { }

  /**
   * @param firstLine the line number of the first character of {@code sql}, so that tokens carry the line of
   *                  the file they came from
   * @throws MigrationException for an unterminated literal, quoted identifier or block comment; SQLite would
   *                            accept a block comment that runs to the end of the input, but in a migration
   *                            that silently hides everything after it
   */
  static List<SqlToken> tokenize(String sql, int firstLine) {
    List<SqlToken> tokens = new ArrayList<>();
    int line = firstLine;
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\n') {
        line++;
        i++;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int close = sql.indexOf("*/", i + 2);
        if (close < 0) {
          throw new MigrationException("unterminated /* comment starting at line " + line);
        }
        line += countNewlines(sql, i, close);
        i = close + 2;
      } else if (c == '\'' || c == '"' || c == '`') {
        int end = closingQuote(sql, i, c, line);
        SqlToken.Kind kind = c == '\'' ? SqlToken.Kind.STRING : SqlToken.Kind.QUOTED_IDENTIFIER;
        tokens.add(new SqlToken(kind, sql.substring(i, end), line, i, end));
        line += countNewlines(sql, i, end);
        i = end;
      } else if (c == '[') {
        int close = sql.indexOf(']', i + 1);
        if (close < 0) {
          throw new MigrationException("unterminated [identifier] starting at line " + line);
        }
        tokens.add(new SqlToken(SqlToken.Kind.QUOTED_IDENTIFIER, sql.substring(i, close + 1), line, i, close + 1));
        line += countNewlines(sql, i, close);
        i = close + 1;
      } else if ((c == 'x' || c == 'X') && i + 1 < n && sql.charAt(i + 1) == '\'') {
        int end = closingQuote(sql, i + 1, '\'', line);
        tokens.add(new SqlToken(SqlToken.Kind.STRING, sql.substring(i, end), line, i, end));
        i = end;
      } else if (isWordChar(c)) {
        int start = i;
        while (i < n && isWordChar(sql.charAt(i))) {
          i++;
        }
        tokens.add(new SqlToken(SqlToken.Kind.WORD, sql.substring(start, i), line, start, i));
      } else {
        tokens.add(new SqlToken(SqlToken.Kind.PUNCTUATION, String.valueOf(c), line, i, i + 1));
        i++;
      }
    }
    return tokens;
  }

  /** Index just past the closing quote; a doubled quote is an escaped one. */
  private static int closingQuote(String sql, int open, char quote, int line) {
    int i = open + 1;
    while (true) {
      int close = sql.indexOf(quote, i);
      if (close < 0) {
        String what = quote == '\'' ? "string literal" : "quoted identifier";
        throw new MigrationException("unterminated " + what + " starting at line " + line);
      }
      if (close + 1 < sql.length() && sql.charAt(close + 1) == quote) {
        i = close + 2;
      } else {
        return close + 1;
      }
    }
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 0x7f;
  }

  private static int countNewlines(String s, int from, int to) {
    int count = 0;
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == '\n') {
        count++;
      }
    }
    return count;
  }
}
