package io.spillway.bench.fanout;

/**
 * The times of one run on the run's nano clock: publishing starts at {@code start}, measuring at
 * {@code measureStart} (after the warm-up), and both stop at {@code end}. Immutable.
 */
record RunWindow(long start, long measureStart, long end) {

  static RunWindow startingAt(long start, long warmupNanos, long durationNanos) {
    return new RunWindow(start, start + warmupNanos, start + warmupNanos + durationNanos);
  }

  /** True if {@code t} is in the measured window [measureStart, end). */
  boolean measures(long t) {
    return t >= measureStart && t < end;
  }

  long measuredNanos() {
    return end - measureStart;
  }
}
