package io.spillway.bench.html;

import java.util.List;

/**
 * The x axis of a latency distribution: percentile {@code p} sits at {@code log10(1 / (1 - p/100))}, so 90 is at
 * 1, 99 at 2, 99.9 at 3, and each further nine gets as much room as the last. 100 (the maximum) would be at
 * infinity; it is drawn at {@link #MAX_POSITION}, one decade past 99.99. Stateless.
 */
final class PercentileAxis {

  /** Where percentile 100, and anything above 99.999, is drawn. */
  static final double MAX_POSITION = 5;

  private static final List<ChartAxis.Tick> TICKS = List.of(
      new ChartAxis.Tick(position(0), "0"),
      new ChartAxis.Tick(position(50), "50"),
      new ChartAxis.Tick(position(90), "90"),
      new ChartAxis.Tick(position(99), "99"),
      new ChartAxis.Tick(position(99.9), "99.9"),
      new ChartAxis.Tick(position(99.99), "99.99"),
      new ChartAxis.Tick(MAX_POSITION, "100"));

  private PercentileAxis() {}

  /**
   * Where {@code percentile} sits on the axis.
   *
   * @param percentile 0..100
   * @throws IllegalArgumentException outside 0..100
   */
  static double position(double percentile) {
    if (!(percentile >= 0 && percentile <= 100)) {
      throw new IllegalArgumentException("percentile " + percentile + " is outside 0..100");
    }
    double remaining = 1 - percentile / 100;
    return remaining <= Math.pow(10, -MAX_POSITION) ? MAX_POSITION : Math.log10(1 / remaining);
  }

  /** The percentile drawn at {@code position}: the inverse of {@link #position} below {@link #MAX_POSITION}. */
  static double percentileAt(double position) {
    return position >= MAX_POSITION ? 100 : 100 * (1 - Math.pow(10, -position));
  }

  /** The axis, 0 to 100, ticked at 0, 50, 90, 99, 99.9, 99.99 and 100. */
  static ChartAxis axis() {
    return new ChartAxis("percentile (log scale of 1/(1-p))", 0, MAX_POSITION, TICKS);
  }
}
