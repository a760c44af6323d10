package io.spillway.server.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobPatternTest {

  /** The scanned answer, after checking that the compiled form gives the same. */
  private static boolean matches(String pattern, String subject) {
    boolean scanned = GlobPattern.matches(bytes(pattern), bytes(subject));
    assertThat(GlobPattern.compile(bytes(pattern)).matches(bytes(subject)))
        .as("compiled form")
        .isEqualTo(scanned);
    return scanned;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Redis's tests: pubsub.tcl (PSUBSCRIBE), keyspace.tcl (KEYS), and the patterns documented for KEYS. */
  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "foo.*      | foo.1          | true",
        "bar.*      | bar.1          | true",
        "foo.*      | foo1           | false",
        "foo.*      | barfoo.1       | false",
        "bar.*      | qux.1          | false",
        "foo*       | foo_a          | true",
        "foo*       | key_x          | false",
        "*          | dlskeriewrioeuwqoirueioqwrueoqwrueqw | true",
        "{a}*       | {a}x           | true",
        "{a}*       | {b}a           | false",
        "*{b}*      | {b}c           | true",
        "__key*__:* | __keyspace@9__:foo | true",
        "__key*__:* | __keyevent@9__:set | true",
        "h?llo      | hello          | true",
        "h?llo      | hxllo          | true",
        "h?llo      | hllo           | false",
        "h*llo      | hllo           | true",
        "h*llo      | heeeello       | true",
        "h[ae]llo   | hello          | true",
        "h[ae]llo   | hallo          | true",
        "h[ae]llo   | hillo          | false",
        "h[^e]llo   | hallo          | true",
        "h[^e]llo   | hbllo          | true",
        "h[^e]llo   | hello          | false",
        "h[a-b]llo  | hallo          | true",
        "h[a-b]llo  | hbllo          | true",
        "h[a-b]llo  | hcllo          | false",
      })
  void matchesLikeRedis(String pattern, String subject, boolean expected) {
    assertThat(matches(pattern, subject)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "HELLO      | hello  | false",
        "h[A-Z]llo  | hello  | false",
        "[z-a]      | m      | true",
        "[!a]       | b      | false",
        "[!a]       | !      | true",
        "\\*        | *      | true",
        "\\*        | a      | false",
        "\\?x       | ?x     | true",
        "\\?x       | ax     | false",
        "[\\]]      | ]      | true",
        "[\\^x]     | ^      | true",
        "a\\        | a\\    | true",
        "a*         | a      | true",
        "a**        | a      | true",
        "*b         | ab     | true",
        "a*b*c      | aXbYc  | true",
        "a*b*c      | aXbY   | false",
        "[]a        | a      | false",
        "[^]        | x      | true",
        "[abc       | b      | true",
        "[abc       | bc     | false",
        "[^         | x      | true",
        "[          | [      | false",
        "[a-]       | a      | true",
        "[a-]       | _      | true",
        "[a-]       | -      | false",
      })
  void keepsRedisCornerCases(String pattern, String subject, boolean expected) {
    assertThat(matches(pattern, subject)).isEqualTo(expected);
  }

  @Test
  void emptySubjectIsMatchedOnlyByEmptyPattern() {
    assertThat(matches("", "")).isTrue();
    assertThat(matches("*", "")).isFalse();
    assertThat(matches("**", "")).isFalse();
    assertThat(matches("", "a")).isFalse();
  }

  @Test
  void comparesBytesAsSignedLikeRedisOnX86() {
    byte[] range = {'[', 'a', '-', (byte) 0xff, ']'};
    assertThat(GlobPattern.matches(range, new byte[] {'b'})).isFalse();
    assertThat(GlobPattern.matches(range, new byte[] {'A'})).isTrue();
    assertThat(GlobPattern.matches(range, new byte[] {(byte) 0xff})).isTrue();
    assertThat(GlobPattern.matches(range, new byte[] {(byte) 0x80})).isFalse();
  }

  @Test
  void isBinarySafe() {
    byte[] pattern = {'a', 0, '*', (byte) 0xe9};
    assertThat(GlobPattern.matches(pattern, new byte[] {'a', 0, 'x', 0, (byte) 0xe9}))
        .isTrue();
    assertThat(GlobPattern.matches(pattern, new byte[] {'a', 1, 'x', (byte) 0xe9}))
        .isFalse();
    assertThat(GlobPattern.matches(new byte[] {'?'}, new byte[] {0})).isTrue();
  }

  /** keyspace.tcl, "Regression for pattern matching long nested loops", with a far longer subject. */
  @Test
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void nestedStarsFailFastAgainstLongSubject() {
    assertThat(matches("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", "a".repeat(40)))
        .isFalse();
    assertThat(matches("*a*a*a*a*a*a*a*a*a*b", "a".repeat(100_000))).isFalse();
    assertThat(matches("*a*a*a*a*a*a*a*a*a*b", "a".repeat(100_000) + "b")).isTrue();
  }

  /** keyspace.tcl, "Regression for pattern matching very long nested loops": the nesting limit gives up. */
  @Test
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void veryDeepNestingGivesUpLikeRedis() {
    assertThat(matches("*?".repeat(50_000), "a".repeat(50_000))).isFalse();
    assertThat(matches("*?".repeat(1000), "a".repeat(1000))).isTrue();
    assertThat(matches("*?".repeat(1001), "a".repeat(1001))).isFalse();
  }

  /** Redis's stringmatchlen fuzz test (util.c) asks only for no crash; here the result must also be right. */
  @Test
  void agreesWithReferenceAndOldMatcherOnRandomInput() {
    byte[] alphabet = {'a', 'b', '-', '^', '*', '?', '[', ']', '\\', (byte) 0xff};
    Random random = new Random(42);
    for (int i = 0; i < 200_000; i++) {
      byte[] pattern = randomBytes(random, alphabet, 8);
      byte[] subject = randomBytes(random, alphabet, 6);
      boolean expected = Reference.matches(pattern, subject);
      assertThat(GlobPattern.matches(pattern, subject))
          .as("pattern %s, subject %s", show(pattern), show(subject))
          .isEqualTo(expected);
      assertThat(GlobPattern.compile(pattern).matches(subject))
          .as("compiled: pattern %s, subject %s", show(pattern), show(subject))
          .isEqualTo(expected);
      assertThat(BacktrackingGlob.matches(pattern, subject))
          .as("old matcher: pattern %s, subject %s", show(pattern), show(subject))
          .isEqualTo(expected);
    }
  }

  /**
   * Issue 11: 1 000 patterns "*" + "a" x 1000 + "bN" made each PUBLISH to a 1 KiB channel of 'a' take about 1 s on the
   * publisher's loop (a million comparisons per pattern). The tail after the last star is anchored at the end.
   */
  @Test
  void starThenThousandAsThenBnAgainstKibOfAsNoLongerStallsThePublisher() {
    byte[] subject = bytes("a".repeat(1024));
    List<GlobPattern> patterns = new ArrayList<>();
    for (int n = 0; n < 1000; n++) {
      patterns.add(GlobPattern.compile(bytes("*" + "a".repeat(1000) + "b" + n)));
    }
    for (GlobPattern p : patterns) {
      assertThat(p.comparisons(subject)).isLessThanOrEqualTo(4);
    }
    assertThat(BacktrackingGlob.matches(bytes("*" + "a".repeat(1000) + "b0"), subject))
        .isFalse();
    for (int warm = 0; warm < 20; warm++) {
      matchAll(patterns, subject);
    }
    long start = System.nanoTime();
    assertThat(matchAll(patterns, subject)).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));

    byte[] raw = bytes("*" + "a".repeat(1000) + "b7");
    start = System.nanoTime();
    for (int n = 0; n < 1000; n++) {
      assertThat(GlobPattern.matches(raw, subject)).isFalse();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("without compiling")
        .isLessThan(Duration.ofSeconds(1));
  }

  private static int matchAll(List<GlobPattern> patterns, byte[] subject) {
    int hits = 0;
    for (GlobPattern p : patterns) {
      hits += p.matches(subject) ? 1 : 0;
    }
    return hits;
  }

  /** The worst case of the floating segments: never more than subject length x pattern length comparisons. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'*' + a x 500 + 'b*'",
    "'*a*' + a x 500 + 'b*'",
    "'*' + a x 100 + 'b*' repeated",
    "'*?' x 1000",
  })
  void costsAtMostSubjectTimesPatternComparisons(String name) {
    byte[] subject = bytes("a".repeat(1024));
    byte[] pattern = switch (name) {
      case "'*' + a x 500 + 'b*'" -> bytes("*" + "a".repeat(500) + "b*");
      case "'*a*' + a x 500 + 'b*'" -> bytes("*a*" + "a".repeat(500) + "b*");
      case "'*' + a x 100 + 'b*' repeated" -> bytes(("*" + "a".repeat(100) + "b").repeat(10) + "*");
      default -> bytes("*?".repeat(1000));
    };
    GlobPattern compiled = GlobPattern.compile(pattern);
    assertThat(compiled.cost()).isEqualTo(pattern.length);
    assertThat(compiled.comparisons(subject))
        .isLessThanOrEqualTo((long) subject.length * pattern.length);
    assertThat(compiled.matches(subject)).isEqualTo(BacktrackingGlob.matches(pattern, subject));
  }

  /** Redis's nesting limit counts runs of stars; the 1001st run fails every match unless it ends the pattern. */
  @Test
  void keepsRedisNestingLimitOnStarRuns() {
    String thousandAndOne = "*?".repeat(1000) + "*";
    assertThat(matches(thousandAndOne, "a".repeat(1001))).isTrue();
    assertThat(matches(thousandAndOne + "a", "a".repeat(1001))).isFalse();
    assertThat(matches("**?".repeat(1000), "a".repeat(1000))).isTrue();
    assertThat(matches("*[*]".repeat(1001), "*".repeat(1001))).isFalse();
    assertThat(matches("*\\*".repeat(1000) + "*", "*".repeat(1000) + "x")).isTrue();
    assertThat(BacktrackingGlob.matches(bytes(thousandAndOne), bytes("a".repeat(1001))))
        .isTrue();
    assertThat(BacktrackingGlob.matches(bytes(thousandAndOne + "a"), bytes("a".repeat(1001))))
        .isFalse();
    assertThat(BacktrackingGlob.matches(bytes("*[*]".repeat(1001)), bytes("*".repeat(1001))))
        .isFalse();
  }

  private static byte[] randomBytes(Random random, byte[] alphabet, int maxLength) {
    byte[] b = new byte[random.nextInt(maxLength + 1)];
    for (int i = 0; i < b.length; i++) {
      b[i] = alphabet[random.nextInt(alphabet.length)];
    }
    return b;
  }

  private static String show(byte[] b) {
    return "'" + new String(b, StandardCharsets.ISO_8859_1) + "'";
  }

  /**
   * An independent model of the same semantics: the pattern is first cut into tokens (Redis parses a class or an
   * escape the same way whatever the subject), then matched by dynamic programming, with no backtracking to prune.
   */
  private static final class Reference {
    private static final int STAR = -1;
    private static final int ANY = -2;

    /** A token: STAR, ANY, or a set of byte values given as ranges {lo, hi, lo, hi, ...}, possibly negated. */
    private static final class Token {
      final int kind;
      final List<int[]> ranges = new ArrayList<>();
      boolean negated;

      Token(int kind) {
        this.kind = kind;
      }

      boolean accepts(byte c) {
        if (kind == ANY) {
          return true;
        }
        boolean in = false;
        for (int[] r : ranges) {
          in |= c >= r[0] && c <= r[1];
        }
        return in != negated;
      }
    }

    static boolean matches(byte[] p, byte[] s) {
      if (s.length == 0) {
        return p.length == 0;
      }
      List<Token> tokens = tokenize(p);
      boolean[][] m = new boolean[tokens.size() + 1][s.length + 1];
      m[0][0] = true;
      for (int t = 1; t <= tokens.size(); t++) {
        Token token = tokens.get(t - 1);
        for (int i = 0; i <= s.length; i++) {
          m[t][i] = token.kind == STAR
              ? m[t - 1][i] || (i > 0 && m[t][i - 1])
              : i > 0 && m[t - 1][i - 1] && token.accepts(s[i - 1]);
        }
      }
      return m[tokens.size()][s.length];
    }

    private static List<Token> tokenize(byte[] p) {
      List<Token> tokens = new ArrayList<>();
      int i = 0;
      while (i < p.length) {
        byte b = p[i];
        if (b == '*') {
          tokens.add(new Token(STAR));
          i++;
        } else if (b == '?') {
          tokens.add(new Token(ANY));
          i++;
        } else if (b == '[') {
          Token set = new Token(0);
          i++;
          if (i < p.length && p[i] == '^') {
            set.negated = true;
            i++;
          }
          while (i < p.length && p[i] != ']') {
            if (p[i] == '\\' && p.length - i >= 2) {
              set.ranges.add(new int[] {p[i + 1], p[i + 1]});
              i += 2;
            } else if (p.length - i >= 3 && p[i + 1] == '-') {
              set.ranges.add(new int[] {Math.min(p[i], p[i + 2]), Math.max(p[i], p[i + 2])});
              i += 3;
            } else {
              set.ranges.add(new int[] {p[i], p[i]});
              i++;
            }
          }
          i++;
          tokens.add(set);
        } else {
          if (b == '\\' && p.length - i >= 2) {
            i++;
          }
          Token literal = new Token(0);
          literal.ranges.add(new int[] {p[i], p[i]});
          tokens.add(literal);
          i++;
        }
      }
      return tokens;
    }
  }
}
