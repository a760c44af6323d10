package io.spillway.server.broker;

/**
 * {@link GlobPattern}'s matching done straight on the pattern's bytes, allocating nothing: for callers that match a
 * pattern once, such as {@code PUBSUB CHANNELS pattern}, or that keep patterns as bytes. Same results, same bound
 * (at most subject length x pattern length token comparisons, each costing the token's length in bytes). Stateless;
 * any thread.
 */
final class GlobScan {

  /*
   * Design note: the segment algorithm of GlobPattern's design note, with the tokens parsed as they are compared
   * instead of once ahead. A first pass finds the star runs and counts the tokens; the head is compared at the start,
   * the tail at the end (its last token first, which fails "*aaaa...abN" at once), and each middle segment is searched
   * leftmost in the room between.
   */

  private GlobScan() {}

  static boolean matches(byte[] p, byte[] s) {
    if (s.length == 0) {
      return p.length == 0;
    }
    int stars = 0;
    int tokens = 0;
    int headTokens = 0;
    int tailTokens = 0;
    int firstRunStart = -1;
    int firstRunEnd = -1;
    int lastRunStart = -1;
    int lastRunEnd = -1;
    int lastTokenStart = -1;
    int i = 0;
    while (i < p.length) {
      if (p[i] == '*') {
        int runStart = i;
        while (i < p.length && p[i] == '*') {
          i++;
        }
        if (stars++ == 0) {
          firstRunStart = runStart;
          firstRunEnd = i;
          headTokens = tokens;
        }
        lastRunStart = runStart;
        lastRunEnd = i;
        tailTokens = 0;
      } else {
        lastTokenStart = i;
        i = tokenEnd(p, i);
        tokens++;
        tailTokens++;
      }
    }
    boolean starLast = stars > 0 && lastRunEnd == p.length;
    if (stars > GlobPattern.MAX_NESTED_STARS
        && !(stars == GlobPattern.MAX_NESTED_STARS + 1 && starLast)) {
      return false;
    }
    if (s.length < tokens) {
      return false;
    }
    if (stars == 0) {
      return s.length == tokens && segmentAt(p, 0, p.length, s, 0);
    }
    if (!segmentAt(p, 0, firstRunStart, s, 0)) {
      return false;
    }
    int lo = headTokens;
    int hi = s.length;
    if (!starLast) {
      hi = s.length - tailTokens;
      if (step(p, lastTokenStart, s[s.length - 1]) < 0
          || !segmentAt(p, lastRunEnd, p.length, s, hi)) {
        return false;
      }
    }
    i = firstRunEnd;
    while (i < lastRunStart) {
      if (p[i] == '*') {
        i++;
        continue;
      }
      int segmentStart = i;
      int length = 0;
      while (p[i] != '*') {
        i = tokenEnd(p, i);
        length++;
      }
      int found = -1;
      for (int from = lo; from + length <= hi; from++) {
        if (segmentAt(p, segmentStart, i, s, from)) {
          found = from;
          break;
        }
      }
      if (found < 0) {
        return false;
      }
      lo = found + length;
    }
    return lo <= hi;
  }

  /** Whether the tokens in {@code p[from, to)} accept {@code s} from index {@code at}, one byte each. */
  private static boolean segmentAt(byte[] p, int from, int to, byte[] s, int at) {
    int i = from;
    int j = at;
    while (i < to) {
      int next = step(p, i, s[j]);
      if (next < 0) {
        return false;
      }
      i = next;
      j++;
    }
    return true;
  }

  private static int tokenEnd(byte[] p, int i) {
    int next = step(p, i, (byte) 0);
    return next < 0 ? ~next : next;
  }

  /**
   * Matches byte {@code c} against the token (not a star) at {@code i}. Returns the index just past the token when
   * it accepts {@code c}, else that index complemented ({@code ~index}, negative).
   */
  private static int step(byte[] p, int i, byte c) {
    byte b = p[i];
    if (b == '?') {
      return i + 1;
    }
    if (b == '[') {
      return classStep(p, i + 1, c);
    }
    if (b == '\\' && p.length - i >= 2) {
      return p[i + 1] == c ? i + 2 : ~(i + 2);
    }
    return b == c ? i + 1 : ~(i + 1);
  }

  /** {@link #step} for a class whose body starts at {@code j}, just after its '['. */
  private static int classStep(byte[] p, int j, byte c) {
    boolean negated = j < p.length && p[j] == '^';
    if (negated) {
      j++;
    }
    boolean matched = false;
    while (true) {
      int left = p.length - j;
      if (left >= 2 && p[j] == '\\') {
        matched |= p[j + 1] == c;
        j += 2;
      } else if (left == 0) {
        break;
      } else if (p[j] == ']') {
        j++;
        break;
      } else if (left >= 3 && p[j + 1] == '-') {
        int start = Math.min(p[j], p[j + 2]);
        int end = Math.max(p[j], p[j + 2]);
        matched |= c >= start && c <= end;
        j += 3;
      } else {
        matched |= p[j] == c;
        j++;
      }
    }
    return matched != negated ? j : ~j;
  }
}
