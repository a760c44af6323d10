package io.spillway.server.broker;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Redis's glob matching, as {@code PSUBSCRIBE} and {@code PUBSUB CHANNELS} use it: byte for byte the results of
 * {@code stringmatchlen()} in Redis 7.0's {@code util.c}, case-sensitive and binary-safe, in time at most
 * proportional to pattern length times subject length, whatever the pattern.
 *
 * <ul>
 *   <li>{@code *} matches any run of bytes, {@code ?} any one byte;
 *   <li>{@code [abc]} one of the listed bytes, {@code [^abc]} any other ({@code !} has no special meaning),
 *       {@code [a-z]} a range, bounds in either order;
 *   <li>{@code \} makes the next byte literal, inside brackets too; a trailing {@code \} is a literal backslash.
 * </ul>
 *
 * <p>{@link #compile} parses a pattern once; the compiled form is immutable and may be used from any thread. The
 * static {@link #matches(byte[], byte[])} gives the same answers without compiling (and without allocating), at the
 * price of reading the whole pattern on every call.
 */
public final class GlobPattern {

  /*
   * Design note. Redis matches by recursive backtracking, one level per '*'. Its pruning (skipLongerMatches) keeps
   * "*a*a*a*b" polynomial, but a single star in front of a long literal, "*" + "a" x 1000 + "bN" against 1 KiB of
   * 'a', still costs about a million byte comparisons: 1 ms per publish per such pattern. Here the result is the
   * same, reached another way.
   *
   * The pattern is parsed once into tokens. Every token but '*' consumes exactly one byte: a literal, '?', or a
   * class, kept as a 256-bit set (how Redis parses a class does not depend on the subject, so the set is exact).
   * Runs of '*' are one star. The stars cut the tokens into segments: a head anchored at the subject's start, a tail
   * anchored at its end, and middle segments that float. A subject matches when the head matches its start, the tail
   * its end, and the middle segments occur in order, without overlap, in between; taking the leftmost occurrence of
   * each middle segment is optimal (it leaves the most room for the next ones), so no choice is ever revisited.
   * Head and tail cost their length; each middle segment is tried at each position of the room left, so a match
   * costs at most subject length x pattern length comparisons, with no blow-up. The tail is compared from its end,
   * so "*aaaa...abN" fails on its first comparison.
   *
   * Redis's quirks are kept, since clients may depend on them:
   *
   * - An empty subject is matched only by an empty pattern: the C loop runs "while (patternLen && stringLen)", so
   *   even "*" does not match "".
   * - An unterminated class ("[abc") ends at the end of the pattern; "[^" matches any byte, "[" none.
   * - "[a-]" is the range from 'a' to ']' (the C takes any "x-y" with three bytes left as a range).
   * - Bytes compare as C's signed char on x86: 0x80..0xFF sort below 0x00 in ranges, so "[a-\xff]" is the range
   *   -1..'a' and does not match "b".
   * - Redis gives up at 1000 nested stars: the recursion for the segment after the 1001st star returns "no match",
   *   and its skipLongerMatches flag then fails the whole match. So a pattern with more than 1000 stars (runs counted
   *   once) matches nothing, unless its 1001st star ends the pattern, which matches without recursing.
   *
   * GlobScan runs the same algorithm on the pattern's bytes without compiling (the static matches()). The tests
   * compare both with a transliteration of the C (BacktrackingGlob, test-only) and with a real redis-server.
   */

  /** Redis's limit on nested '*' (stringmatchlen_impl's "nesting > 1000"). */
  static final int MAX_NESTED_STARS = 1000;

  /** Token value for '?'; 0..255 are literal bytes; CLASS_BASE + i is class i. */
  private static final int ANY = 256;

  private static final int CLASS_BASE = 257;

  private static final int STAR = -1;

  private final int cost;
  /** Tokens of all segments, concatenated; star tokens are left out. */
  private final int[] tokens;
  /** Start of segment i in {@link #tokens}; segment i ends where i + 1 starts; one more entry than segments. */
  private final int[] segmentStarts;
  /** Whether there is a star before the first segment (then segment 0 is not anchored at the start). */
  private final boolean starFirst;
  /** Whether there is a star after the last segment. */
  private final boolean starLast;
  /** Four longs per class: the bytes it accepts, by unsigned value. */
  private final long[] classSets;
  /** Sum of segment lengths: the shortest subject that can match. */
  private final int minLength;
  /** Matches nothing (Redis's nesting limit); the empty pattern is not this but {@link #emptyPattern}. */
  private final boolean never;

  private final boolean emptyPattern;

  private GlobPattern(byte[] pattern) {
    cost = pattern.length;
    emptyPattern = pattern.length == 0;
    int[] raw = new int[pattern.length];
    long[] classes = new long[0];
    int n = 0;
    int classCount = 0;
    Map<ClassKey, Integer> classIndex = new HashMap<>();
    int i = 0;
    while (i < pattern.length) {
      byte b = pattern[i];
      if (b == '*') {
        if (n == 0 || raw[n - 1] != STAR) {
          raw[n++] = STAR;
        }
        i++;
      } else if (b == '?') {
        raw[n++] = ANY;
        i++;
      } else if (b == '[') {
        long[] set = new long[4];
        i = parseClass(pattern, i + 1, set);
        Integer same =
            classIndex.putIfAbsent(new ClassKey(set[0], set[1], set[2], set[3]), classCount);
        if (same == null) {
          if (classes.length == classCount * 4) {
            classes = Arrays.copyOf(classes, Math.max(4, classes.length * 2));
          }
          System.arraycopy(set, 0, classes, classCount * 4, 4);
          same = classCount++;
        }
        raw[n++] = CLASS_BASE + same;
      } else {
        if (b == '\\' && pattern.length - i >= 2) {
          i++;
        }
        raw[n++] = pattern[i] & 0xff;
        i++;
      }
    }
    classSets = Arrays.copyOf(classes, classCount * 4);
    int stars = 0;
    for (int t = 0; t < n; t++) {
      if (raw[t] == STAR) {
        stars++;
      }
    }
    starFirst = n > 0 && raw[0] == STAR;
    starLast = n > 0 && raw[n - 1] == STAR;
    never = stars > MAX_NESTED_STARS && !(stars == MAX_NESTED_STARS + 1 && starLast);
    tokens = new int[n - stars];
    int segments = stars + 1 - (starFirst ? 1 : 0) - (starLast ? 1 : 0);
    segmentStarts = new int[segments + 1];
    int k = 0;
    int seg = 0;
    for (int t = 0; t < n; t++) {
      if (raw[t] == STAR) {
        if (t > 0) {
          segmentStarts[++seg] = k;
        }
      } else {
        tokens[k++] = raw[t];
      }
    }
    segmentStarts[segmentStarts.length - 1] = k;
    minLength = k;
  }

  /** A class's byte set, as a key to share one copy among equal classes. */
  private record ClassKey(long w0, long w1, long w2, long w3) {}

  /**
   * Parses the class whose body starts at {@code i}, just after its '[', into {@code set}; returns the index just
   * past the class (past its ']', or the pattern's end when it has none).
   */
  private static int parseClass(byte[] p, int i, long[] set) {
    boolean negated = i < p.length && p[i] == '^';
    if (negated) {
      i++;
    }
    while (true) {
      int left = p.length - i;
      if (left >= 2 && p[i] == '\\') {
        addRange(set, p[i + 1], p[i + 1]);
        i += 2;
      } else if (left == 0) {
        break;
      } else if (p[i] == ']') {
        i++;
        break;
      } else if (left >= 3 && p[i + 1] == '-') {
        addRange(set, Math.min(p[i], p[i + 2]), Math.max(p[i], p[i + 2]));
        i += 3;
      } else {
        addRange(set, p[i], p[i]);
        i++;
      }
    }
    if (negated) {
      for (int w = 0; w < 4; w++) {
        set[w] = ~set[w];
      }
    }
    return i;
  }

  /** Adds the bytes from {@code lo} to {@code hi}, compared as signed like C's char. */
  private static void addRange(long[] set, int lo, int hi) {
    for (int c = lo; c <= hi; c++) {
      int u = c & 0xff;
      set[u >>> 6] |= 1L << u;
    }
  }

  /** Parses {@code pattern}, which is neither modified nor kept. Any thread. */
  public static GlobPattern compile(byte[] pattern) {
    return new GlobPattern(pattern);
  }

  /**
   * Whether {@code subject} matches the glob {@code pattern}, without compiling it (nothing is allocated); neither
   * array is modified or kept. For a pattern matched many times, {@link #compile} it once. Any thread.
   */
  public static boolean matches(byte[] pattern, byte[] subject) {
    return GlobScan.matches(pattern, subject);
  }

  /** Whether {@code subject} matches this pattern; the array is neither modified nor kept. Any thread. */
  public boolean matches(byte[] subject) {
    return (run(subject) & 1) != 0;
  }

  /**
   * What a match may cost, for budgets: the pattern's length in bytes. A match against a subject of length n makes
   * at most about n times this many comparisons.
   */
  public int cost() {
    return cost;
  }

  /**
   * About how many bytes of heap this compiled form holds (object headers and arrays), for memory budgets: four per
   * token and per segment plus 32 per distinct class, plus a constant.
   */
  public long footprintBytes() {
    return 48
        + arrayBytes(tokens.length, 4)
        + arrayBytes(segmentStarts.length, 4)
        + arrayBytes(classSets.length, 8);
  }

  private static long arrayBytes(int length, int elementSize) {
    return 16 + ((long) length * elementSize + 7) / 8 * 8;
  }

  /** How many token comparisons matching {@code subject} took: for tests that bound the work. */
  long comparisons(byte[] subject) {
    return run(subject) >>> 1;
  }

  /**
   * Whether {@code s[from, to)} matches this pattern, as a part of a longer, non-empty subject: unlike {@link
   * #matches}, an empty range is matched by a pattern of stars only (Redis refuses only a whole empty subject). For
   * {@link PatternIndex}, which has checked the rest of the subject itself. Any thread.
   */
  boolean matchesRange(byte[] s, int from, int to) {
    return (runRange(s, from, to) & 1) != 0;
  }

  /**
   * An upper bound of {@link #comparisons} for any subject of at most {@code maxSubjectLength} bytes: one per token
   * anchored at the start or end, plus {@code maxSubjectLength} per token of the segments between stars, which are
   * searched for.
   */
  long worstComparisons(int maxSubjectLength) {
    int segments = segmentStarts.length - 1;
    long anchored = 0;
    if (segments > 0 && !starFirst) {
      anchored += segmentStarts[1] - segmentStarts[0];
    }
    if (segments > 0 && !starLast && (starFirst || segments > 1)) {
      anchored += segmentStarts[segments] - segmentStarts[segments - 1];
    }
    long floating = minLength - anchored;
    return anchored + floating * maxSubjectLength;
  }

  /** The comparisons made, shifted left by one, with the low bit set when the subject matches. */
  private long run(byte[] s) {
    if (s.length == 0) {
      return emptyPattern ? 1 : 0;
    }
    return runRange(s, 0, s.length);
  }

  /** {@link #run} on {@code s[from, to)}, where an empty range is matched by any pattern of stars only. */
  private long runRange(byte[] s, int from, int to) {
    int length = to - from;
    if (never || length < minLength) {
      return 0;
    }
    int segments = segmentStarts.length - 1;
    if (segments == 0) {
      // "*" matches anything; the empty pattern only the empty range
      return starFirst || length == 0 ? 1 : 0;
    }
    long steps = 0;
    int lo = from;
    int hi = to;
    int first = 0;
    int last = segments - 1;
    if (!starFirst) {
      int len = segmentStarts[1] - segmentStarts[0];
      if (segments == 1 && !starLast && len != length) {
        return 0;
      }
      int at = mismatchFromEnd(0, s, from);
      steps += at < 0 ? len : len - at;
      if (at >= 0) {
        return steps << 1;
      }
      lo = from + len;
      first = 1;
    }
    if (!starLast && first <= last) {
      int len = segmentStarts[last + 1] - segmentStarts[last];
      int at = mismatchFromEnd(last, s, to - len);
      steps += at < 0 ? len : len - at;
      if (at >= 0) {
        return steps << 1;
      }
      hi = to - len;
      last--;
    }
    for (int seg = first; seg <= last; seg++) {
      int len = segmentStarts[seg + 1] - segmentStarts[seg];
      int found = -1;
      for (int at0 = lo; at0 + len <= hi; at0++) {
        int at = mismatchFromEnd(seg, s, at0);
        steps += at < 0 ? len : len - at;
        if (at < 0) {
          found = at0;
          break;
        }
      }
      if (found < 0) {
        return steps << 1;
      }
      lo = found + len;
    }
    return lo <= hi ? (steps << 1) | 1 : steps << 1;
  }

  /**
   * Compares segment {@code seg} with the subject from {@code from}, last token first; returns the index within
   * the segment of the last token that does not accept its byte, or -1 when all accept.
   */
  private int mismatchFromEnd(int seg, byte[] s, int from) {
    int start = segmentStarts[seg];
    for (int t = segmentStarts[seg + 1] - 1; t >= start; t--) {
      if (!accepts(tokens[t], s[from + t - start] & 0xff)) {
        return t - start;
      }
    }
    return -1;
  }

  private boolean accepts(int token, int c) {
    if (token == c || token == ANY) {
      return true;
    }
    if (token < CLASS_BASE) {
      return false;
    }
    int base = (token - CLASS_BASE) * 4;
    return (classSets[base + (c >>> 6)] & (1L << c)) != 0;
  }

  @Override
  public String toString() {
    return "GlobPattern[cost=" + cost + ", segments=" + (segmentStarts.length - 1) + "]";
  }
}
