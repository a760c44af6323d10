package io.spillway.bench.slow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class SlowProgressTest {

  @Test
  void lineShowsPhaseCountsSlowCutsLastIntervalP99AndRss() {
    Histogram interval = new Histogram(FastShard.HIGHEST_LATENCY_NANOS, 3);
    interval.recordValue(3_100_000);
    SlowProgress.Tick t =
        new SlowProgress.Tick("slow", 12.0, 240_000, 4_800_000, 0, 1, 5, 180L * 1024 * 1024);

    assertThat(SlowProgress.format(t, interval))
        .isEqualTo(
            "  [slow]  12.0s published 240,000 fast received 4,800,000 lost 0 slow cut 1/5 p99 3.1ms rss 180.0MiB");
  }

  @Test
  void lineShowsDashesForWhatIsNotKnown() {
    SlowProgress.Tick t = new SlowProgress.Tick("baseline", 1.0, 10, 200, 0, 0, 0, -1);

    assertThat(SlowProgress.format(t, new Histogram(FastShard.HIGHEST_LATENCY_NANOS, 3)))
        .endsWith("slow cut 0/0 p99 - rss -");
  }

  @Test
  void sampleHoldsTheIntervalsCountsAsDifferencesFromThePreviousSample() {
    SlowProgress.Tick before = new SlowProgress.Tick("baseline", 3.0, 30, 600, 0, 0, 0, -1);
    SlowProgress.Tick now = new SlowProgress.Tick("slow", 4.0, 45, 900, 2, 1, 1, 64L * 1024 * 1024);

    Map<String, Object> s =
        SlowProgress.sample(now, before, new Histogram(FastShard.HIGHEST_LATENCY_NANOS, 3));

    assertThat(s)
        .containsEntry("t_s", 4.0)
        .containsEntry("phase", "slow")
        .containsEntry("published", 15L)
        .containsEntry("fast_received", 300L)
        .containsEntry("fast_lost", 2L)
        .containsEntry("slow_cut", 1)
        .containsEntry("server_rss_mb", 64.0)
        .containsEntry("fast_latency_p99_ms", null);
  }
}
