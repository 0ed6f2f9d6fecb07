package io.tradestore.store.migration;

import java.util.Locale;

/** One lexical token of SQLite SQL; comments and whitespace never become tokens. */
public record SqlToken(Kind kind, String text, int line, int start, int end) {
  public enum Kind {
    /** A keyword, an unquoted identifier or a number. */
    WORD,
    /** {@code "x"}, {@code `x`} or {@code [x]}. */
    QUOTED_IDENTIFIER,
    /** {@code 'x'}, also blob literals {@code X'..'}. */
    STRING,
    /** Any other single character, including {@code ;}. */
    PUNCTUATION
  }

  public boolean isWord(String keyword) {
    return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
  }

  /** The token as it compares: keywords and identifiers case-insensitively, quotes dropped; literals verbatim. */
  public String normalized() {
    return switch (kind) {
      case WORD -> text.toLowerCase(Locale.ROOT);
      case QUOTED_IDENTIFIER -> unquote(text).toLowerCase(Locale.ROOT);
      case STRING, PUNCTUATION -> text;
    };
  }

  /** Upper-cased, identifiers without their quotes: what keyword checks compare. */
  public String upper() {
    return (kind == Kind.QUOTED_IDENTIFIER ? unquote(text) : text).toUpperCase(Locale.ROOT);
  }

  private static String unquote(String quoted) {
    String inner = quoted.substring(1, quoted.length() - 1);
    return switch (quoted.charAt(0)) {
      case '"' -> inner.replace("\"\"", "\"");
      case '`' -> inner.replace("``", "`");
      default -> inner;
    };
  }
}
