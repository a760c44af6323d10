package io.spillway.bench.slow;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The live view of a run: one line per second to the progress stream (stderr) and one sample per second for the
 * JSON report. Stateless.
 */
final class SlowProgress {

  private static final double BYTES_PER_MB = 1024.0 * 1024.0;

  private SlowProgress() {}

  /**
   * The counts behind one line or sample.
   *
   * @param phase {@code baseline}, {@code slow} or {@code drain}
   * @param elapsedSeconds from the start of publishing
   * @param published PUBLISHes written so far
   * @param fastReceived messages the fast subscribers received so far, all of them together
   * @param fastLost sequence numbers the fast subscribers skipped so far (the tail is only known at the end)
   * @param slowCut slow readers cut so far (by the server's client list or by their socket)
   * @param slowReaders slow readers subscribed
   * @param serverRssBytes the server's RSS, or -1 when not watched
   */
  record Tick(
      String phase,
      double elapsedSeconds,
      long published,
      long fastReceived,
      long fastLost,
      int slowCut,
      int slowReaders,
      long serverRssBytes) {}

  /**
   * The line printed each second, for example {@code [slow] 12.0s published 240,000 fast received 4,800,000 lost 0
   * slow cut 1/5 p99 3.1ms rss 180.2MiB}. Counts are the run's so far; p99 is the last interval's.
   */
  static String format(Tick t, Histogram interval) {
    return String.format(
        Locale.ROOT,
        "  [%s] %5.1fs published %,d fast received %,d lost %,d slow cut %d/%d p99 %s" + " rss %s",
        t.phase(),
        t.elapsedSeconds(),
        t.published(),
        t.fastReceived(),
        t.fastLost(),
        t.slowCut(),
        t.slowReaders(),
        interval.getTotalCount() == 0
            ? "-"
            : String.format(Locale.ROOT, "%.1fms", interval.getValueAtPercentile(99) / 1e6),
        t.serverRssBytes() < 0
            ? "-"
            : String.format(Locale.ROOT, "%.1fMiB", t.serverRssBytes() / BYTES_PER_MB));
  }

  /**
   * One interval as a JSON sample: the run's counts so far ({@code now}) less those of the previous sample
   * ({@code before}, or null for the first), plus the interval's latency and the state at its end.
   */
  static Map<String, Object> sample(Tick now, Tick before, Histogram interval) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("t_s", Math.round(now.elapsedSeconds() * 1000) / 1000.0);
    s.put("phase", now.phase());
    s.put("published", now.published() - (before == null ? 0 : before.published()));
    s.put("fast_received", now.fastReceived() - (before == null ? 0 : before.fastReceived()));
    s.put("fast_lost", now.fastLost() - (before == null ? 0 : before.fastLost()));
    long n = interval.getTotalCount();
    s.put("fast_latency_p50_ms", n == 0 ? null : interval.getValueAtPercentile(50) / 1e6);
    s.put("fast_latency_p99_ms", n == 0 ? null : interval.getValueAtPercentile(99) / 1e6);
    s.put("fast_latency_max_ms", n == 0 ? null : interval.getMaxValue() / 1e6);
    s.put("slow_cut", now.slowCut());
    s.put("server_rss_mb", now.serverRssBytes() < 0 ? null : now.serverRssBytes() / BYTES_PER_MB);
    return s;
  }
}
