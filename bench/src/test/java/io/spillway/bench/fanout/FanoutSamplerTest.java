package io.spillway.bench.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FanoutSamplerTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final long START = 7 * SECOND;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final PrintStream progress = new PrintStream(out, true, StandardCharsets.UTF_8);
  /** 1.5 s of warm-up, then 2 s measured. */
  private final RunWindow window = RunWindow.startingAt(START, 1_500 * MS, 2 * SECOND);

  private String printed() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void endsIntervalsEachSecondAndExactlyAtTheWarmUpAndWindowEnds() {
    FanoutSampler sampler = new FanoutSampler(window, progress, false);
    long[] expected = {
      START + SECOND, START + 1_500 * MS, START + 2_500 * MS, START + 3_500 * MS, START + 4_500 * MS
    };
    long previous = 0;
    long published = 0;
    for (long due : expected) {
      assertThat(sampler.due()).isEqualTo(due);
      published += 10;
      sampler.take(due, new FanoutSampler.Totals(published, 0, 0));
      previous = due;
    }

    assertThat(previous).isEqualTo(window.end() + SECOND);
    assertThat(sampler.samples())
        .extracting(s -> s.get("phase"))
        .containsExactly("warm-up", "warm-up", "measured", "measured", "drain");
    assertThat(sampler.samples())
        .extracting(s -> s.get("interval_s"))
        .containsExactly(1.0, 0.5, 1.0, 1.0, 1.0);
    assertThat(sampler.samples())
        .extracting(s -> s.get("t_s"))
        .containsExactly(1.0, 1.5, 2.5, 3.5, 4.5);
  }

  @Test
  void samplesTheIntervalsDifferencesAndLatenciesThenEmptiesTheHistogram() {
    FanoutSampler sampler = new FanoutSampler(window, progress, false);
    sampler.take(START + SECOND, new FanoutSampler.Totals(100, 1_000, 2));
    for (int i = 1; i <= 100; i++) {
      sampler.intervalHistogram().recordValue(i * MS);
    }

    sampler.take(START + 1_500 * MS, new FanoutSampler.Totals(150, 1_400, 5));

    Map<String, Object> s = sampler.samples().get(1);
    assertThat(s)
        .containsEntry("published", 50L)
        .containsEntry("delivered", 400L)
        .containsEntry("lost", 3L)
        .containsEntry("latency_count", 100L);
    assertThat((Double) s.get("latency_p50_ms"))
        .isCloseTo(50, org.assertj.core.data.Offset.offset(0.1));
    assertThat((Double) s.get("latency_p99_ms"))
        .isCloseTo(99, org.assertj.core.data.Offset.offset(0.1));
    assertThat((Double) s.get("latency_max_ms"))
        .isCloseTo(100, org.assertj.core.data.Offset.offset(0.1));
    assertThat(sampler.intervalHistogram().getTotalCount()).isZero();
    assertThat(sampler.samples().get(0))
        .containsEntry("latency_count", 0L)
        .containsEntry("latency_p99_ms", null);
  }

  @Test
  void ignoresATickWithNoTimeElapsed() {
    FanoutSampler sampler = new FanoutSampler(window, progress, false);
    sampler.take(START + SECOND, new FanoutSampler.Totals(1, 1, 0));

    sampler.take(START + SECOND, new FanoutSampler.Totals(2, 2, 0));

    assertThat(sampler.samples()).hasSize(1);
  }

  @Test
  void printsOneLinePerIntervalWithRunTotalsAndTheMeasuredP99WithoutTheWarmUp() {
    FanoutSampler sampler = new FanoutSampler(window, progress, false);
    sampler.intervalHistogram().recordValue(900 * MS);
    sampler.take(START + 1_500 * MS, new FanoutSampler.Totals(1_000, 100_000, 0));
    sampler.intervalHistogram().recordValue(3 * MS);
    sampler.take(START + 2_500 * MS, new FanoutSampler.Totals(2_000, 200_000, 4));
    sampler.finish();

    List<String> lines = printed().lines().toList();
    assertThat(lines)
        .containsExactly(
            "  [warm-up]   1.5s published 1,000 delivered 100,000 lost 0 p99 900.20ms",
            "  [measured]   2.5s published 2,000 delivered 200,000 lost 4 p99 3.00ms");
  }

  @Test
  void rewritesOneLineOnATerminalAndKeepsTheLastLineOfEachPhase() {
    FanoutSampler sampler = new FanoutSampler(window, progress, true);
    sampler.take(START + SECOND, new FanoutSampler.Totals(10_000, 0, 0));
    sampler.take(START + 1_500 * MS, new FanoutSampler.Totals(10_001, 0, 0));
    sampler.take(START + 2_500 * MS, new FanoutSampler.Totals(10_002, 0, 0));
    sampler.finish();

    String text = printed();
    assertThat(text).startsWith("\r  [warm-up]");
    assertThat(text.split("\n")).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("\r"));
    assertThat(text)
        .contains("published 10,001 delivered 0 lost 0 p99 -\n\r  [measured]")
        .endsWith("\n");
  }
}
