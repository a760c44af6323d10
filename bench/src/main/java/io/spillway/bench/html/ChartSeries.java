package io.spillway.bench.html;

import java.util.List;
import java.util.Objects;

/**
 * One line of a chart: a legend label, how it is drawn, and its points in data units, in drawing order. A point
 * whose y is not a number (an interval without data) breaks the line in two. Immutable.
 *
 * @param label the legend's text (escaped when drawn)
 * @param colour a CSS colour
 * @param dash an SVG {@code stroke-dasharray}, or empty for a solid line
 * @param points the points, joined in this order
 * @param dots whether each point is also marked with a dot (for series of few, measured points)
 */
record ChartSeries(String label, String colour, String dash, List<Point> points, boolean dots) {

  ChartSeries {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(colour, "colour");
    Objects.requireNonNull(dash, "dash");
    points = List.copyOf(points);
  }

  /** A line without dots. */
  ChartSeries(String label, String colour, String dash, List<Point> points) {
    this(label, colour, dash, points, false);
  }

  /** A point in data units. */
  record Point(double x, double y) {}
}
