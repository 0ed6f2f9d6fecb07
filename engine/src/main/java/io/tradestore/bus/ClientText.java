package io.tradestore.bus;

import io.tradestore.CommandFailure;

/**
 * What text from a client may contain. A Java string can hold a lone UTF-16 surrogate (JSON's {@code "\ud800"}
 * escape makes one), which no UTF-8 encoder can write: SQLite's driver stores it as {@code ?}, so two different
 * ids became one row and a third collided on the primary key. Control characters in an id are refused too: a NUL
 * truncates it in C code, a line break splits the log line that names it, and neither is ever part of a real id.
 * Every check is refused with a 400 naming the field and the position, so a client can find its encoding bug.
 */
final class ClientText {
  private ClientText() { }

  /** Any text: valid Unicode, that is every surrogate in a pair. */
  static void requireUnicode(String field, String value) {
    int at = loneSurrogate(value);
    if (at >= 0) {
      throw CommandFailure.invalid(field, field + " must be valid Unicode text: it holds a lone UTF-16 surrogate "
          + codePoint(value.charAt(at)) + " at position " + at);
    }
  }

  /** An id or name: valid Unicode without control characters (C0, DEL and C1). */
  static void requireId(String field, String value) {
    requireUnicode(field, value);
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw controlCharacter(field, value, i);
      }
    }
  }

  /** Free text such as a reason: valid Unicode; tabs and line breaks are text there, other controls are not. */
  static void requireNote(String field, String value) {
    requireUnicode(field, value);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
        throw controlCharacter(field, value, i);
      }
    }
  }

  /** The index of the first surrogate that is not half of a pair, or -1. */
  private static int loneSurrogate(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  private static CommandFailure controlCharacter(String field, String value, int at) {
    return CommandFailure.invalid(field, field + " must not contain control characters: it holds "
        + codePoint(value.charAt(at)) + " at position " + at);
  }

  private static String codePoint(char c) {
    return String.format("U+%04X", (int) c);
  }
}
