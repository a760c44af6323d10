package io.spillway.client;

import java.util.function.LongSupplier;

/**
 * Two counters summed over a sliding window of time, in a ring of buckets: deposits and withdrawals of the retry
 * budget, successes and failures of the breaker, requests and accepts of the throttle. A bucket last written more
 * than a window ago counts as empty. Not thread-safe: its owner synchronises.
 */
final class WindowedCounts {

  private final LongSupplier nanoClock;
  private final long bucketNanos;
  private final long[] ids;
  private final long[] a;
  private final long[] b;

  /**
   * @param windowNanos the span counted; positive
   * @param buckets the steps it slides in; the window ends with the current, partly elapsed, bucket
   */
  WindowedCounts(LongSupplier nanoClock, long windowNanos, int buckets) {
    this.nanoClock = nanoClock;
    this.bucketNanos = Math.max(1, windowNanos / buckets);
    this.ids = new long[buckets];
    this.a = new long[buckets];
    this.b = new long[buckets];
    java.util.Arrays.fill(ids, Long.MIN_VALUE);
  }

  void addA(long n) {
    a[slot()] += n;
  }

  void addB(long n) {
    b[slot()] += n;
  }

  long sumA() {
    return sum(a);
  }

  long sumB() {
    return sum(b);
  }

  /** Forgets everything counted so far. */
  void clear() {
    java.util.Arrays.fill(ids, Long.MIN_VALUE);
  }

  private int slot() {
    long id = Math.floorDiv(nanoClock.getAsLong(), bucketNanos);
    int s = (int) Math.floorMod(id, (long) ids.length);
    if (ids[s] != id) {
      ids[s] = id;
      a[s] = 0;
      b[s] = 0;
    }
    return s;
  }

  private long sum(long[] counts) {
    long current = Math.floorDiv(nanoClock.getAsLong(), bucketNanos);
    long total = 0;
    for (int i = 0; i < ids.length; i++) {
      long age = current - ids[i];
      if (age >= 0 && age < ids.length) {
        total += counts[i];
      }
    }
    return total;
  }
}
