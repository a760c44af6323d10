package io.spillway.bench.probe;

import io.spillway.bench.report.Metric;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows one process through a run: the peak of RSS over all samples, and the CPU time used between
 * {@link #markWindowStart} and {@link #markWindowEnd} (the measured window, warm-up excluded). Call
 * {@link #sample} every {@link ResourceMonitor#SAMPLE_INTERVAL_NANOS} or so. Not thread-safe: one thread (the
 * run's main thread) drives it.
 *
 * <p>If the process can no longer be read (it exited) sampling stops, the figures cover what was seen, and
 * {@link #lostAt()} says so.
 */
final class ProcessUsageRecorder {

  private final ProcessProbe probe;
  private final String prefix;
  private long peakRssBytes;
  private long cpuAtWindowStart = -1;
  private long cpuAtWindowEnd = -1;
  private long windowNanos;
  private long lastCpu = -1;
  private String lostAt;

  /**
   * @param prefix the metrics' name prefix: {@code server} gives {@code server_peak_rss_mb}, {@code server_cpu_s}
   */
  ProcessUsageRecorder(ProcessProbe probe, String prefix) {
    this.probe = probe;
    this.prefix = prefix;
  }

  /** Samples now; returns false if the process can no longer be read. */
  boolean sample() {
    if (lostAt != null) {
      return false;
    }
    try {
      ProcessSample s = probe.sample();
      peakRssBytes = Math.max(peakRssBytes, s.rssBytes());
      lastCpu = s.cpuNanos();
      return true;
    } catch (IOException | RuntimeException e) {
      lostAt = "process " + probe.pid() + " could not be read: " + e.getMessage();
      return false;
    }
  }

  /** Samples, and takes the CPU time as the start of the measured window. */
  void markWindowStart() {
    sample();
    cpuAtWindowStart = lastCpu;
  }

  /** Samples, and takes the CPU time as the end of a measured window that lasted {@code windowNanos}. */
  void markWindowEnd(long windowNanos) {
    sample();
    cpuAtWindowEnd = lastCpu;
    this.windowNanos = windowNanos;
  }

  /** Why sampling stopped early, or null. */
  String lostAt() {
    return lostAt;
  }

  /**
   * {@code PREFIX_peak_rss_mb} (MiB), {@code PREFIX_cpu_s} (CPU seconds in the window) and
   * {@code PREFIX_cpu_cores} (those seconds over the window's length: 1.0 is one core busy all along).
   */
  List<Metric> metrics() {
    List<Metric> out = new ArrayList<>();
    out.add(Metric.lower(prefix + "_peak_rss_mb", "MiB", peakRssBytes / (1024.0 * 1024.0)));
    if (cpuAtWindowStart >= 0 && cpuAtWindowEnd >= 0 && windowNanos > 0) {
      double cpuSeconds = (cpuAtWindowEnd - cpuAtWindowStart) / 1e9;
      out.add(Metric.lower(prefix + "_cpu_s", "s", cpuSeconds));
      out.add(Metric.lower(prefix + "_cpu_cores", "cores", cpuSeconds / (windowNanos / 1e9)));
    }
    return out;
  }
}
