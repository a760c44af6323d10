package io.spillway.server.broker;

/**
 * Test-only reference oracle: the backtracking matcher that {@link GlobPattern} replaced, a line-by-line
 * transliteration of {@code stringmatchlen_impl()} in Redis 7.0's {@code util.c}. It gives the right answers, slowly
 * on hostile patterns ("*" + "a" x 1000 + "bN" against 1 KiB of 'a' costs a million comparisons).
 *
 * <ul>
 *   <li>{@code *} matches any run of bytes, {@code ?} any one byte;
 *   <li>{@code [abc]} one of the listed bytes, {@code [^abc]} any other ({@code !} has no special meaning),
 *       {@code [a-z]} a range, bounds in either order;
 *   <li>{@code \} makes the next byte literal, inside brackets too; a trailing {@code \} is a literal backslash.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class BacktrackingGlob {

  /*
   * Design note: a transliteration of Redis 7.0's stringmatchlen_impl(), kept close to the C so that it can be
   * checked against it line by line. Redis's quirks are kept on purpose, since clients may depend on them:
   *
   * - An empty subject is matched only by an empty pattern: the C loop runs "while (patternLen && stringLen)",
   *   so even "*" does not match "".
   * - An unterminated class ("[abc") ends at the end of the pattern; "[^" matches any byte, "[" none.
   * - "[a-]" is the range from 'a' to ']' (the C takes any "x-y" with three bytes left as a range).
   * - Bytes compare as C's signed char on x86: 0x80..0xFF sort below 0x00 in ranges, so "[a-\xff]" is the range
   *   -1..'a' and does not match "b". Java's byte is signed too, which gives exactly this.
   *
   * Two protections against hostile patterns come with it. A '*' that has tried the rest of the pattern at every
   * later position of the subject, and failed everywhere, proves that no earlier '*' can help by matching more (the
   * rest would have to match even later), so the whole match fails at once: Redis's skipLongerMatches flag, here the
   * NO_MATCH_ANYWHERE result that every enclosing '*' passes up. This turns "*a*a*a*a*b" against "aaaa...a" from
   * exponential to polynomial. And recursion, one level per '*', stops at MAX_NESTING levels, where Redis's stops
   * ("*?*?*?..." repeated 50 000 times fails there rather than exhaust the stack; Redis's test expects no match).
   */

  /** Redis's limit on nested '*'; deeper patterns fail to match. */
  private static final int MAX_NESTING = 1000;

  private static final int MATCH = 1;
  private static final int NO_MATCH = 0;
  /** No match, and none is possible for any enclosing '*' either. */
  private static final int NO_MATCH_ANYWHERE = -1;

  private BacktrackingGlob() {}

  /** Whether {@code subject} matches the glob {@code pattern}; neither array is modified or kept. */
  static boolean matches(byte[] pattern, byte[] subject) {
    return match(pattern, 0, subject, 0, 0) == MATCH;
  }

  private static int match(byte[] p, int pi, byte[] s, int si, int nesting) {
    if (nesting > MAX_NESTING) {
      return NO_MATCH;
    }
    while (pi < p.length && si < s.length) {
      switch (p[pi]) {
        case '*':
          while (pi + 1 < p.length && p[pi + 1] == '*') {
            pi++;
          }
          if (pi + 1 == p.length) {
            return MATCH;
          }
          for (; si < s.length; si++) {
            int rest = match(p, pi + 1, s, si, nesting + 1);
            if (rest != NO_MATCH) {
              return rest;
            }
          }
          return NO_MATCH_ANYWHERE;
        case '?':
          si++;
          break;
        case '[':
          pi = endOfClass(p, pi + 1, s[si]);
          if (pi < 0) {
            return NO_MATCH;
          }
          si++;
          break;
        default:
          if (p[pi] == '\\' && p.length - pi >= 2) {
            pi++;
          }
          if (p[pi] != s[si]) {
            return NO_MATCH;
          }
          si++;
          break;
      }
      pi++;
      if (si == s.length) {
        while (pi < p.length && p[pi] == '*') {
          pi++;
        }
        break;
      }
    }
    return pi == p.length && si == s.length ? MATCH : NO_MATCH;
  }

  /**
   * Matches byte {@code c} against the class that starts at {@code pi}, just after its '['. Returns the index of the
   * class's closing ']' (or of its last byte, when the pattern ends first), or -1 when {@code c} is not in it.
   */
  private static int endOfClass(byte[] p, int pi, byte c) {
    boolean negated = pi < p.length && p[pi] == '^';
    if (negated) {
      pi++;
    }
    boolean matched = false;
    while (true) {
      int left = p.length - pi;
      if (left >= 2 && p[pi] == '\\') {
        pi++;
        if (p[pi] == c) {
          matched = true;
        }
      } else if (left == 0) {
        pi--;
        break;
      } else if (p[pi] == ']') {
        break;
      } else if (left >= 3 && p[pi + 1] == '-') {
        int start = Math.min(p[pi], p[pi + 2]);
        int end = Math.max(p[pi], p[pi + 2]);
        pi += 2;
        if (c >= start && c <= end) {
          matched = true;
        }
      } else if (p[pi] == c) {
        matched = true;
      }
      pi++;
    }
    return matched != negated ? pi : -1;
  }
}
