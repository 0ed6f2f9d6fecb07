package io.tradestore.store.migration;

import java.util.List;

/**
 * One statement of a migration script.
 *
 * @param number 1-based position among the statements of its part (up or down)
 * @param line   the file line its first token is on
 * @param sql    its text, from the first token up to and including the terminating {@code ;}
 * @param tokens its tokens, comments excluded
 */
public record SqlStatement(int number, int line, String sql, List<SqlToken> tokens) {
  public SqlStatement {
    tokens = List.copyOf(tokens);
  }

  /** The {@code i}-th token upper-cased (identifiers unquoted), or "" past the end: for keyword checks. */
  String word(int i) {
    return i < tokens.size() ? tokens.get(i).upper() : "";
  }
}
