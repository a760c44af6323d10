package io.spillway.bench.html;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * One axis of a chart: its title, the data range it spans and where its ticks sit. Positions are in the axis'
 * own units; an axis that is not linear in the data (a percentile axis) maps data to positions before drawing.
 * Immutable.
 *
 * @param title the axis' title, with its unit
 * @param min the position at the axis' origin
 * @param max the position at the axis' far end; greater than {@code min}
 * @param ticks tick marks with their labels, between {@code min} and {@code max}
 */
record ChartAxis(String title, double min, double max, List<Tick> ticks) {

  /** Roughly how many ticks {@link #linear} aims for. */
  static final int TARGET_TICKS = 5;

  ChartAxis {
    if (!(max > min)) {
      throw new IllegalArgumentException(
          "axis '" + title + "': max " + max + " is not above min " + min);
    }
    ticks = List.copyOf(ticks);
  }

  /** A tick at {@code position}, labelled {@code label}. */
  record Tick(double position, String label) {}

  /**
   * A linear axis from 0 to a round number at or above {@code dataMax}, with ticks at steps of 1, 2 or 5 times a
   * power of ten. A {@code dataMax} of 0 or less (or not a number) gives the axis 0..1.
   */
  static ChartAxis linear(String title, double dataMax) {
    double top = dataMax > 0 && Double.isFinite(dataMax) ? dataMax : 1;
    double step = niceStep(top / TARGET_TICKS);
    double max = Math.ceil(top / step - 1e-9) * step;
    List<Tick> ticks = new ArrayList<>();
    for (int i = 0; i * step <= max + step / 2; i++) {
      ticks.add(new Tick(i * step, label(i * step)));
    }
    return new ChartAxis(title, 0, max, ticks);
  }

  /** The smallest of 1, 2, 5 times a power of ten that is at least {@code rough}. */
  static double niceStep(double rough) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * magnitude >= rough * (1 - 1e-9)) {
        return m * magnitude;
      }
    }
    return 10 * magnitude;
  }

  /** A tick label: thousands as k, millions as M, small numbers without trailing zeros. */
  static String label(double value) {
    if (Math.abs(value) >= 1e6) {
      return plain(value / 1e6) + "M";
    }
    if (Math.abs(value) >= 1e4) {
      return plain(value / 1e3) + "k";
    }
    return plain(value);
  }

  private static String plain(double value) {
    return BigDecimal.valueOf(value)
        .setScale(6, RoundingMode.HALF_UP)
        .stripTrailingZeros()
        .toPlainString();
  }
}
