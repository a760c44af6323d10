package io.spillway.server.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.server.fuzz.ScaledTries;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.junit.jupiter.api.Test;

/** The pattern index finds exactly the patterns a brute-force scan with {@link GlobPattern} finds. */
@AddLifecycleHook(ScaledTries.class)
class PatternIndexTest {

  private static final String[] NONE = new String[0];

  /** Literal bytes weighted up, so that patterns share prefixes and suffixes with channels and with each other. */
  @Provide
  Arbitrary<byte[]> patterns() {
    return Arbitraries.frequency(List.of(
            net.jqwik.api.Tuple.of(6, 'a'),
            net.jqwik.api.Tuple.of(4, 'b'),
            net.jqwik.api.Tuple.of(2, '*'),
            net.jqwik.api.Tuple.of(1, '?'),
            net.jqwik.api.Tuple.of(1, '['),
            net.jqwik.api.Tuple.of(1, ']'),
            net.jqwik.api.Tuple.of(1, '\\'),
            net.jqwik.api.Tuple.of(1, '^'),
            net.jqwik.api.Tuple.of(1, '-'),
            net.jqwik.api.Tuple.of(1, '\u00ff')))
        .list()
        .ofMaxSize(10)
        .map(cs -> {
          byte[] b = new byte[cs.size()];
          for (int i = 0; i < b.length; i++) {
            b[i] = (byte) cs.get(i).charValue();
          }
          return b;
        });
  }

  @Provide
  Arbitrary<byte[]> channels() {
    return Arbitraries.strings()
        .withChars('a', 'b', 'a', 'b', '*', '[', ']', '\\', '\u00ff')
        .ofMaxLength(12)
        .map(PatternIndexTest::latin1);
  }

  @Provide
  Arbitrary<List<byte[]>> patternSets() {
    return patterns().list().ofMaxSize(40);
  }

  @Provide
  Arbitrary<List<byte[]>> channelSets() {
    return channels().list().ofMinSize(1).ofMaxSize(8);
  }

  @Property(tries = 3_000)
  void findsWhatBruteForceFinds(
      @ForAll("patternSets") List<byte[]> patterns, @ForAll("channelSets") List<byte[]> channels) {
    PatternIndex<String> index = new PatternIndex<>(12, NONE);
    List<String> held = new ArrayList<>();
    for (byte[] p : patterns) {
      String name = Names.of(p);
      if (!held.contains(name)) {
        held.add(name);
        index.add(p, name);
      }
    }
    assertSameAsBruteForce(index, held, channels);
    // remove every other pattern: the rest is still found, the removed ones no more
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < held.size(); i++) {
      if (i % 2 == 0) {
        assertThat(index.remove(Names.bytes(held.get(i)), held.get(i))).isPositive();
      } else {
        kept.add(held.get(i));
      }
    }
    assertSameAsBruteForce(index, kept, channels);
    for (String name : kept) {
      index.remove(Names.bytes(name), name);
    }
    assertThat(index.size()).isZero();
    assertThat(index.cost()).isZero();
    assertThat(index.nodes()).as("only the two roots are left").isEqualTo(2);
  }

  private static void assertSameAsBruteForce(
      PatternIndex<String> index, List<String> held, List<byte[]> channels) {
    for (byte[] channel : channels) {
      Set<String> expected = new HashSet<>();
      for (String p : held) {
        if (GlobPattern.compile(Names.bytes(p)).matches(channel)) {
          expected.add(p);
        }
      }
      String[] found = index.matching(channel);
      assertThat(found)
          .as("channel %s, patterns %s", GlobPatternFuzzTest.show(channel), show(held))
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Property(tries = 3_000)
  void patternCostBoundsTheComparisonsOfAnyChannel(
      @ForAll("patterns") byte[] pattern, @ForAll("channels") byte[] channel) {
    assertThat(GlobPattern.compile(pattern).comparisons(channel))
        .isLessThanOrEqualTo(
            GlobPattern.compile(pattern).worstComparisons(Math.max(1, channel.length)));
  }

  @Test
  void patternWithLongLiteralTailCostsAlmostNothing() {
    // issue 11, Why 2: '*' + 'a' x 1000 + 'bN' made each publish to 1 KiB of 'a' cost about 1 ms
    // per pattern
    byte[] hostile = latin1("*" + "a".repeat(1000) + "b7");
    assertThat(PatternIndex.costOf(hostile, 1024)).as("the remainder is '*'").isEqualTo(1);
    PatternIndex<String> index = new PatternIndex<>(1024, NONE);
    index.add(hostile, "hostile");
    assertThat(index.matching(latin1("a".repeat(1024)))).isEmpty();
    assertThat(index.matching(latin1("x" + "a".repeat(1000) + "b7"))).containsExactly("hostile");
  }

  @Test
  void patternCostsFollowWhatIsSearchedFor() {
    assertThat(PatternIndex.costOf(latin1("news.*"), 1024)).isEqualTo(1);
    assertThat(PatternIndex.costOf(latin1("news.sports"), 1024)).isEqualTo(1);
    assertThat(PatternIndex.costOf(latin1("*"), 1024)).isEqualTo(1);
    // indexed by its longer literal part, ".events"; "user.?" is compared per lookup
    assertThat(PatternIndex.costOf(latin1("user.?.events"), 1024)).isEqualTo(1 + 6);
    assertThat(PatternIndex.costOf(latin1("*error*"), 1024)).isEqualTo(1 + 5 * 1024);
    // indexed by "a"; "b" is searched for, "c" compared at the end
    assertThat(PatternIndex.costOf(latin1("a*b*c"), 1024)).isEqualTo(1 + 1024 + 1);
  }

  @Test
  void deepTreeOfNestedPrefixesIsBuiltAndEmptiedWithoutRecursion() {
    PatternIndex<String> index = new PatternIndex<>(1 << 20, NONE);
    List<String> names = new ArrayList<>();
    for (int k = 1; k <= 5_000; k++) {
      String p = "a".repeat(k) + "*";
      names.add(p);
      index.add(latin1(p), p);
    }
    assertThat(index.matching(latin1("a".repeat(5_000)))).hasSize(5_000);
    assertThat(index.matching(latin1("a".repeat(2_500) + "b"))).hasSize(2_500);
    for (String p : names) {
      index.remove(latin1(p), p);
    }
    assertThat(index.nodes()).isEqualTo(2);
  }

  @Test
  void escapedWildcardsAreLiteralPrefix() {
    PatternIndex<String> index = new PatternIndex<>(64, NONE);
    index.add(latin1("a\\*b*"), "p");
    assertThat(index.matching(latin1("a*bc"))).containsExactly("p");
    assertThat(index.matching(latin1("axbc"))).isEmpty();
  }

  @Test
  void emptyChannelIsMatchedOnlyByTheEmptyPattern() {
    PatternIndex<String> index = new PatternIndex<>(64, NONE);
    for (String p : List.of("", "*", "a*", "*a", "?")) {
      index.add(latin1(p), p);
    }
    assertThat(index.matching(new byte[0])).containsExactly("");
    assertThat(index.matching(latin1("a"))).containsExactlyInAnyOrder("*", "a*", "*a", "?");
  }

  @Test
  void lookupThatMatchesNothingAllocatesNothing() {
    PatternIndex<String> index = new PatternIndex<>(1024, NONE);
    for (int i = 0; i < 1_000; i++) {
      index.add(latin1("news." + i + ".*"), "p" + i);
      index.add(latin1("*" + "a".repeat(100) + "b" + i), "q" + i);
    }
    index.add(latin1("*x*"), "x");
    byte[] channel = latin1("news.77." + "a".repeat(200));
    byte[] miss = latin1("sports." + "a".repeat(200));
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 20_000; i++) {
      index.matching(miss);
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 10_000; i++) {
      index.matching(miss);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(allocated)
        .as("bytes allocated by 10 000 lookups that match nothing")
        .isLessThan(1024);
    assertThat(index.matching(channel)).containsExactly("p77");
  }

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String show(List<String> names) {
    return Arrays.toString(
        names.stream().map(n -> GlobPatternFuzzTest.show(Names.bytes(n))).toArray());
  }
}
