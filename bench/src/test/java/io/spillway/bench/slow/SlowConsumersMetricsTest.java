package io.spillway.bench.slow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.spillway.bench.report.Metric;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class SlowConsumersMetricsTest {

  private static FastOutcome fast(long baselineNanos, long withSlowNanos) {
    Histogram baseline = new Histogram(FastShard.HIGHEST_LATENCY_NANOS, 3);
    Histogram withSlow = new Histogram(FastShard.HIGHEST_LATENCY_NANOS, 3);
    if (baselineNanos > 0) {
      baseline.recordValue(baselineNanos);
    }
    if (withSlowNanos > 0) {
      withSlow.recordValue(withSlowNanos);
    }
    return new FastOutcome(100, 2_000, 3, 1, 0, baseline, withSlow);
  }

  private static Map<String, Double> byName(List<Metric> metrics) {
    return metrics.stream().collect(Collectors.toMap(Metric::name, Metric::value));
  }

  @Test
  void takesTheLatestCutAndCountsReadersNeverCutAsTheWholePhase() {
    List<SlowReaderOutcome> slow = List.of(
        new SlowReaderOutcome("slow-1", 7.5, 7.6, "Connection reset", 10),
        new SlowReaderOutcome("slow-2", 3.0, null, null, 0));

    Map<String, Double> m =
        byName(SlowConsumersMetrics.assemble(slow, fast(1_000_000, 2_000_000), 15, -1, -1));

    assertThat(m)
        .containsEntry("slow_cut_s_max", 7.5)
        .containsEntry("slow_never_cut", 0.0)
        .containsEntry("slow_cut_socket_s_max", 15.0)
        .containsEntry("slow_socket_never_cut", 1.0)
        .containsEntry("fast_lost", 3.0)
        .containsEntry("fast_out_of_order", 1.0)
        .containsEntry("fast_delivered", 2_000.0)
        .containsEntry("published", 100.0);
  }

  @Test
  void reportsAReaderNeverCutAsTheDuration() {
    List<SlowReaderOutcome> slow = List.of(new SlowReaderOutcome("slow-1", null, null, null, 0));

    Map<String, Double> m =
        byName(SlowConsumersMetrics.assemble(slow, fast(1_000_000, 2_000_000), 3, -1, -1));

    assertThat(m).containsEntry("slow_cut_s_max", 3.0).containsEntry("slow_never_cut", 1.0);
  }

  @Test
  void comparesP99WithAndWithoutSlowReaders() {
    Map<String, Double> m =
        byName(SlowConsumersMetrics.assemble(List.of(), fast(1_000_000, 4_000_000), 15, -1, -1));

    assertThat(m.get("fast_latency_p99_ms_baseline")).isCloseTo(1.0, within(0.01));
    assertThat(m.get("fast_latency_p99_ms_with_slow")).isCloseTo(4.0, within(0.01));
    assertThat(m.get("fast_latency_p99_ratio")).isCloseTo(4.0, within(0.02));
    assertThat(m).containsKeys("fast_latency_p50_ms", "fast_latency_p99_ms");
  }

  @Test
  void leavesOutWhatWasNotMeasured() {
    Map<String, Double> m =
        byName(SlowConsumersMetrics.assemble(List.of(), fast(1_000_000, 0), 15, -1, -1));

    assertThat(m)
        .doesNotContainKeys(
            "fast_latency_p99_ms_with_slow",
            "fast_latency_p99_ratio",
            "server_peak_rss_mb",
            "worst_case_mb");
  }

  @Test
  void reportsMemoryInMegabytes() {
    Map<String, Metric> m =
        SlowConsumersMetrics.assemble(List.of(), fast(1, 1), 15, 64L << 20, 8L << 20).stream()
            .collect(Collectors.toMap(Metric::name, Function.identity()));

    assertThat(m.get("server_peak_rss_mb").value()).isEqualTo(64.0);
    assertThat(m.get("worst_case_mb").value()).isEqualTo(8.0);
  }

  @Test
  void readsTheWorstCaseFromInfoMemory() {
    String info = "# Memory\r\nused_memory:10\r\noutbox_worst_case_bytes:123456\r\n";

    assertThat(SlowConsumersRun.infoField(info, "outbox_worst_case_bytes")).isEqualTo(123456);
    assertThat(
            SlowConsumersRun.infoField("# Memory\r\nused_memory:10\r\n", "outbox_worst_case_bytes"))
        .isEqualTo(-1);
  }
}
