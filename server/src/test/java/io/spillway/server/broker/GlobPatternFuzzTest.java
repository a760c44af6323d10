package io.spillway.server.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.server.fuzz.ScaledTries;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The linear-time matcher against the old backtracking one (a transliteration of Redis's C, kept as the oracle), on
 * patterns and subjects drawn from the bytes that mean something to a glob, plus a few that do not.
 */
@AddLifecycleHook(ScaledTries.class)
class GlobPatternFuzzTest {

  private static final char[] GLOB_BYTES = {
    'a', 'b', '-', '^', '*', '?', '[', ']', '\\', '!', '\u00ff', '\u0080', '\0'
  };

  @Provide
  Arbitrary<byte[]> patterns() {
    return Arbitraries.strings()
        .withChars(GLOB_BYTES)
        .ofMaxLength(14)
        .map(GlobPatternFuzzTest::latin1);
  }

  @Provide
  Arbitrary<byte[]> subjects() {
    return Arbitraries.strings()
        .withChars('a', 'b', '-', '^', '*', '?', '[', ']', '\\', '\u00ff', '\0')
        .ofMaxLength(12)
        .map(GlobPatternFuzzTest::latin1);
  }

  /** Star-heavy patterns on a two-letter alphabet: where backtracking and the segment search differ most. */
  @Provide
  Arbitrary<byte[]> starPatterns() {
    return Arbitraries.strings()
        .withChars('a', 'b', '*', '?')
        .ofMaxLength(24)
        .map(GlobPatternFuzzTest::latin1);
  }

  @Provide
  Arbitrary<byte[]> abSubjects() {
    return Arbitraries.strings()
        .withChars('a', 'b')
        .ofMaxLength(40)
        .map(GlobPatternFuzzTest::latin1);
  }

  @Property(tries = 10_000)
  void agreesWithBacktrackingMatcher(
      @ForAll("patterns") byte[] pattern, @ForAll("subjects") byte[] subject) {
    assertAgrees(pattern, subject);
  }

  @Property(tries = 10_000)
  void agreesWithBacktrackingMatcherOnStarHeavyPatterns(
      @ForAll("starPatterns") byte[] pattern, @ForAll("abSubjects") byte[] subject) {
    assertAgrees(pattern, subject);
  }

  /** Both forms, compiled and scanned, give the old matcher's answer. */
  static void assertAgrees(byte[] pattern, byte[] subject) {
    boolean expected = BacktrackingGlob.matches(pattern, subject);
    boolean compiled = GlobPattern.compile(pattern).matches(subject);
    boolean scanned = GlobPattern.matches(pattern, subject);
    if (compiled != expected || scanned != expected) {
      assertThat(List.of(compiled, scanned))
          .as("compiled and scanned, pattern %s subject %s", show(pattern), show(subject))
          .containsOnly(expected);
    }
  }

  @Property(tries = 5_000)
  void neverComparesMoreThanSubjectTimesPattern(
      @ForAll("starPatterns") byte[] pattern, @ForAll("abSubjects") byte[] subject) {
    long bound = (long) Math.max(1, subject.length) * Math.max(1, pattern.length);
    assertThat(GlobPattern.compile(pattern).comparisons(subject)).isLessThanOrEqualTo(bound);
  }

  @Property(tries = 2_000)
  void anyBytesAtAllNeverThrow(@ForAll byte[] pattern, @ForAll byte[] subject) {
    assertAgrees(pattern, subject);
  }

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static String show(byte[] b) {
    StringBuilder sb = new StringBuilder("'");
    for (byte x : b) {
      int c = x & 0xff;
      sb.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
    }
    return sb.append('\'').toString();
  }
}
