package io.spillway.server.metrics;

import io.spillway.core.time.NanoClock;
import java.time.Duration;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies of the last {@link #window()} (in whole slots), read as percentiles. Recording is wait-free and may come
 * from any number of threads; reading ({@link #percentiles}) is serialised and is what moves the window.
 */
final class LatencyWindow {

  /*
   * Design notes.
   *
   * Writers record into an HdrHistogram Recorder (two histograms swapped under a writer-reader phaser): a recording is
   * a few array writes, no lock, no allocation. A read swaps the recorder's interval out and adds it to the slot of
   * the current time; the window is the ring of SLOTS slots, and a slot older than the window is reset before it is
   * reused. So a recording is attributed to the slot of the read that collected it, not of the moment it was made: a
   * scrape every 15 s with 10 s slots shifts the window by at most one scrape interval, which a percentile over a
   * minute tolerates. The slots are packed histograms, whose size follows the distinct values they hold rather than
   * the range, so an idle window costs little.
   *
   * Precision: two significant digits (values within 1 % of the truth) from 1 µs to MAX_TRACKABLE_NANOS; longer
   * latencies are clamped to the maximum, shorter ones read as 0.
   *
   * No coordinated-omission correction: the server measures each request from its arrival, so a stall delays the
   * requests it holds and they record the stall; there is no expected interval to back-fill.
   */

  /** The longest latency told apart; longer ones are recorded as this. */
  static final long MAX_TRACKABLE_NANOS = Duration.ofMinutes(1).toNanos();
  /** The smallest difference told apart. */
  static final long LOWEST_DISCERNIBLE_NANOS = 1_000;
  /** Values within 1 %. */
  static final int SIGNIFICANT_DIGITS = 2;

  private final NanoClock clock;
  private final long slotNanos;
  private final Recorder recorder =
      new Recorder(LOWEST_DISCERNIBLE_NANOS, MAX_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
  private final PackedHistogram[] slots;
  private final long[] slotStart;
  private final PackedHistogram merged = newPacked();
  private Histogram interval;

  /**
   * @param window how far back the percentiles look; divided into {@code slots} equal slots
   * @param slots how many steps the window moves in (more: smoother, more memory)
   */
  LatencyWindow(Duration window, int slots, NanoClock clock) {
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be at least 1, was " + slots);
    }
    if (window.toNanos() < slots) {
      throw new IllegalArgumentException(
          "window must be at least one nanosecond per slot, was " + window);
    }
    this.clock = clock;
    this.slotNanos = window.toNanos() / slots;
    this.slots = new PackedHistogram[slots];
    this.slotStart = new long[slots];
    long now = clock.nanoTime();
    for (int i = 0; i < slots; i++) {
      this.slots[i] = newPacked();
      this.slotStart[i] = Long.MIN_VALUE;
    }
    this.slotStart[0] = now;
  }

  private static PackedHistogram newPacked() {
    return new PackedHistogram(LOWEST_DISCERNIBLE_NANOS, MAX_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
  }

  /** The span the percentiles cover. */
  Duration window() {
    return Duration.ofNanos(slotNanos * slots.length);
  }

  /** Records one latency; any thread, wait-free. Negative values read as 0, values above the range as its maximum. */
  void record(long nanos) {
    recorder.recordValue(Math.max(0, Math.min(nanos, MAX_TRACKABLE_NANOS)));
  }

  /**
   * Writes into {@code out} the latency at each of {@code quantiles} (0..1), in nanoseconds, over the window ending
   * now; {@code NaN} each when nothing was recorded in the window. Returns how many latencies the window holds.
   */
  synchronized long percentiles(double[] quantiles, double[] out) {
    collect();
    merged.reset();
    long now = clock.nanoTime();
    for (int i = 0; i < slots.length; i++) {
      if (live(i, now)) {
        merged.add(slots[i]);
      }
    }
    long count = merged.getTotalCount();
    for (int q = 0; q < quantiles.length; q++) {
      out[q] = count == 0 ? Double.NaN : merged.getValueAtPercentile(quantiles[q] * 100.0);
    }
    return count;
  }

  /** Moves what the recorder holds into the slot of the current time. */
  private void collect() {
    interval = recorder.getIntervalHistogram(interval);
    long now = clock.nanoTime();
    int current = -1;
    long newest = Long.MIN_VALUE;
    for (int i = 0; i < slots.length; i++) {
      if (slotStart[i] != Long.MIN_VALUE && slotStart[i] > newest) {
        newest = slotStart[i];
        current = i;
      }
    }
    if (now - newest >= slotNanos) {
      // Start a new slot at the boundary the clock has reached, reusing the oldest (or an expired)
      // one.
      long start = newest + (now - newest) / slotNanos * slotNanos;
      current = (current + 1) % slots.length;
      slots[current].reset();
      slotStart[current] = start;
    }
    if (interval.getTotalCount() > 0) {
      slots[current].add(interval);
    }
  }

  private boolean live(int slot, long now) {
    return slotStart[slot] != Long.MIN_VALUE && now - slotStart[slot] < slotNanos * slots.length;
  }
}
