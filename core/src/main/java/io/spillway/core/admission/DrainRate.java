package io.spillway.core.admission;

import java.time.Duration;
import java.util.Arrays;

/**
 * Completions per second over a sliding window, read from an injected clock: how fast jobs have recently been
 * finished, for the metrics. It measures demand as much as capacity (after an idle second it is 0), so the
 * controller judges waits and Retry-After from {@code ServiceTime} instead.
 *
 * <p>Not thread-safe: the controller calls it under its lock. Timestamps are {@code NanoClock} readings and must
 * not go back.
 */
public final class DrainRate {

  /** The window: 1 s. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(1);
  /** Buckets per window: 10, so the window slides in steps of a tenth of it. */
  public static final int DEFAULT_BUCKETS = 10;

  /*
   * Design: a ring of counters, one per bucket of window/buckets nanoseconds. Bucket k of the clock (floorDiv of the
   * reading by the bucket width) lives in slot floorMod(k, buckets) and remembers k, so a slot last written more than
   * a window ago is recognised as stale and reset on write or skipped on read, and no timer is needed. The window
   * therefore covers the current, partly elapsed bucket and the buckets-1 before it: between (buckets-1)/buckets of
   * the window and all of it. Dividing by the full window makes the estimate err low (a longer Retry-After), never
   * high, including in the first window after start. The counts are per completion, not per byte or per job size:
   * Retry-After asks how long until a queue slot frees, which is what a completion does.
   */

  private final long bucketNanos;
  private final double windowSeconds;
  private final long[] counts;
  private final long[] bucketIds;

  /** A 1 s window in 10 buckets. */
  public DrainRate() {
    this(DEFAULT_WINDOW, DEFAULT_BUCKETS);
  }

  /**
   * @param window the span over which completions are counted; at least 1 ms
   * @param buckets how many steps the window slides in; 1 to 1000
   */
  public DrainRate(Duration window, int buckets) {
    if (window.compareTo(Duration.ofMillis(1)) < 0) {
      throw new IllegalArgumentException(
          "drain-rate window " + window + " is out of range [PT0.001S, ...)");
    }
    if (buckets < 1 || buckets > 1000) {
      throw new IllegalArgumentException(
          "drain-rate buckets " + buckets + " is out of range [1, 1000]");
    }
    this.bucketNanos = window.toNanos() / buckets;
    this.windowSeconds = bucketNanos * buckets / 1e9;
    this.counts = new long[buckets];
    this.bucketIds = new long[buckets];
    Arrays.fill(bucketIds, Long.MIN_VALUE);
  }

  /** Counts one completion at {@code nowNanos}. */
  public void record(long nowNanos) {
    long id = Math.floorDiv(nowNanos, bucketNanos);
    int slot = (int) Math.floorMod(id, (long) counts.length);
    if (bucketIds[slot] != id) {
      bucketIds[slot] = id;
      counts[slot] = 0;
    }
    counts[slot]++;
  }

  /** Completions counted in the window ending at {@code nowNanos}. */
  public long completionsInWindow(long nowNanos) {
    long current = Math.floorDiv(nowNanos, bucketNanos);
    long sum = 0;
    for (int i = 0; i < counts.length; i++) {
      long age = current - bucketIds[i];
      if (age >= 0 && age < counts.length) {
        sum += counts[i];
      }
    }
    return sum;
  }

  /** Completions per second over the window ending at {@code nowNanos}; 0 when none completed in it. */
  public double ratePerSecond(long nowNanos) {
    return completionsInWindow(nowNanos) / windowSeconds;
  }
}
