package io.spillway.server.broker;

import java.io.ByteArrayOutputStream;

/**
 * The literal bytes a glob pattern's matches must start and end with, and where they lie in the pattern: the tokens
 * before its first wildcard ({@code *}, {@code ?} or a class) and after its last one, escapes resolved. Immutable;
 * any thread.
 */
final class GlobLiterals {

  /** The bytes every matching subject starts with. */
  final byte[] prefix;
  /** Where the pattern's tokens after the prefix start. */
  final int prefixEnd;
  /** The bytes every matching subject ends with. */
  final byte[] suffix;
  /** Where the pattern's tokens before the suffix end. */
  final int suffixStart;

  private GlobLiterals(byte[] prefix, int prefixEnd, byte[] suffix, int suffixStart) {
    this.prefix = prefix;
    this.prefixEnd = prefixEnd;
    this.suffix = suffix;
    this.suffixStart = suffixStart;
  }

  /*
   * Design note: the tokens are cut exactly as GlobPattern's parser cuts them (a backslash takes the next byte unless
   * it ends the pattern; a class runs to its unescaped ']' or to the end, "x-y" taking three bytes when three are
   * left). Cutting a pattern at a token boundary leaves tokens that parse the same on either side: a class whose span
   * ends before the cut was closed by its own ']', and no decision inside it looked past that ']'.
   */

  /** Splits {@code pattern}, which is neither modified nor kept. */
  static GlobLiterals of(byte[] pattern) {
    ByteArrayOutputStream prefix = new ByteArrayOutputStream();
    ByteArrayOutputStream suffix = new ByteArrayOutputStream();
    int prefixEnd = -1;
    int suffixStart = 0;
    int i = 0;
    while (i < pattern.length) {
      byte b = pattern[i];
      int end;
      boolean literal;
      if (b == '*' || b == '?') {
        end = i + 1;
        literal = false;
      } else if (b == '[') {
        end = classEnd(pattern, i + 1);
        literal = false;
      } else {
        boolean escape = b == '\\' && pattern.length - i >= 2;
        end = escape ? i + 2 : i + 1;
        literal = true;
        b = pattern[end - 1];
      }
      if (literal) {
        if (prefixEnd < 0) {
          prefix.write(b);
        }
        suffix.write(b);
      } else {
        if (prefixEnd < 0) {
          prefixEnd = i;
        }
        suffix.reset();
        suffixStart = end;
      }
      i = end;
    }
    if (prefixEnd < 0) {
      prefixEnd = pattern.length;
    }
    return new GlobLiterals(prefix.toByteArray(), prefixEnd, suffix.toByteArray(), suffixStart);
  }

  /** The index just past the class whose body starts at {@code j} (as GlobPattern.parseClass reads it). */
  private static int classEnd(byte[] p, int j) {
    if (j < p.length && p[j] == '^') {
      j++;
    }
    while (true) {
      int left = p.length - j;
      if (left >= 2 && p[j] == '\\') {
        j += 2;
      } else if (left == 0) {
        return j;
      } else if (p[j] == ']') {
        return j + 1;
      } else if (left >= 3 && p[j + 1] == '-') {
        j += 3;
      } else {
        j++;
      }
    }
  }
}
