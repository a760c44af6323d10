package io.spillway.bench.http;

/**
 * The times of one load phase on the run's nano clock: load starts at {@code start}, measuring at {@code
 * measureStart} (after the warm-up), and both stop at {@code end}. A request belongs to the measured figures when
 * its intended send time is in [measureStart, end). Immutable.
 */
record LoadWindow(long start, long measureStart, long end) {

  static LoadWindow startingAt(long start, long warmupNanos, long durationNanos) {
    return new LoadWindow(start, start + warmupNanos, start + warmupNanos + durationNanos);
  }

  /** True if {@code t} is in the measured window [measureStart, end). */
  boolean measures(long t) {
    return t - measureStart >= 0 && t - end < 0;
  }

  /** True once {@code now} reached the end. */
  boolean over(long now) {
    return now - end >= 0;
  }

  long measuredNanos() {
    return end - measureStart;
  }
}
