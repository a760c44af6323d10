package io.spillway.bench.slow;

import io.spillway.bench.report.Metric;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Turns a run's outcomes into its metrics, with the snake_case names {@code --assert} uses. Stateless.
 *
 * <p>{@code slow_cut_s_max} is the latest server-side cut over the slow readers; a reader never cut counts as the
 * whole slow phase, and {@code slow_never_cut} counts those readers. Likewise for {@code slow_cut_socket_s_max}.
 * Figures a run could not measure (no {@code --server-pid}, no worst case printed by the server, no latency
 * sample in a phase) are left out rather than reported as 0.
 */
final class SlowConsumersMetrics {

  private static final double NANOS_PER_MS = 1e6;
  private static final double BYTES_PER_MB = 1024.0 * 1024.0;

  private SlowConsumersMetrics() {}

  /**
   * @param slowPhaseSeconds how long the slow readers were given
   * @param serverPeakRssBytes the server's peak RSS, or -1 if not watched
   * @param worstCaseBytes the worst case the server printed ({@code outbox_worst_case_bytes}), or -1
   */
  static List<Metric> assemble(
      List<SlowReaderOutcome> slow,
      FastOutcome fast,
      double slowPhaseSeconds,
      long serverPeakRssBytes,
      long worstCaseBytes) {
    List<Metric> m = new ArrayList<>();
    m.add(Metric.lower("slow_cut_s_max", "s", maxOrWhole(slow, true, slowPhaseSeconds)));
    m.add(Metric.lower(
        "slow_never_cut",
        "readers",
        slow.stream().filter(s -> s.cutServerS() == null).count()));
    m.add(Metric.lower("slow_cut_socket_s_max", "s", maxOrWhole(slow, false, slowPhaseSeconds)));
    m.add(Metric.lower(
        "slow_socket_never_cut",
        "readers",
        slow.stream().filter(s -> s.cutSocketS() == null).count()));
    m.add(Metric.neither("published", "msgs", fast.published()));
    m.add(Metric.higher("fast_delivered", "msgs", fast.delivered()));
    m.add(Metric.lower("fast_lost", "msgs", fast.lost()));
    m.add(Metric.lower("fast_out_of_order", "msgs", fast.outOfOrder()));
    m.add(Metric.lower("fast_disconnects", "conns", fast.disconnects()));
    Histogram all = fast.baseline().copy();
    all.add(fast.withSlow());
    if (all.getTotalCount() > 0) {
      m.add(Metric.lower("fast_latency_p50_ms", "ms", percentileMs(all, 50)));
      m.add(Metric.lower("fast_latency_p99_ms", "ms", percentileMs(all, 99)));
    }
    double base = percentileMs(fast.baseline(), 99);
    double with = percentileMs(fast.withSlow(), 99);
    if (fast.baseline().getTotalCount() > 0) {
      m.add(Metric.lower("fast_latency_p99_ms_baseline", "ms", base));
    }
    if (fast.withSlow().getTotalCount() > 0) {
      m.add(Metric.lower("fast_latency_p99_ms_with_slow", "ms", with));
    }
    if (fast.baseline().getTotalCount() > 0 && fast.withSlow().getTotalCount() > 0 && base > 0) {
      m.add(Metric.lower("fast_latency_p99_ratio", "x", with / base));
    }
    if (serverPeakRssBytes >= 0) {
      m.add(Metric.lower("server_peak_rss_mb", "MiB", serverPeakRssBytes / BYTES_PER_MB));
    }
    if (worstCaseBytes >= 0) {
      m.add(Metric.neither("worst_case_mb", "MiB", worstCaseBytes / BYTES_PER_MB));
    }
    return m;
  }

  private static double maxOrWhole(List<SlowReaderOutcome> slow, boolean server, double whole) {
    double max = 0;
    for (SlowReaderOutcome s : slow) {
      Double v = server ? s.cutServerS() : s.cutSocketS();
      max = Math.max(max, v == null ? whole : v);
    }
    return max;
  }

  static double percentileMs(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / NANOS_PER_MS;
  }
}
