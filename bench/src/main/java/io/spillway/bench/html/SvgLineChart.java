package io.spillway.bench.html;

import java.util.List;
import java.util.Locale;

/**
 * Draws series of (x, y) points as lines on two axes, with a legend: latency against percentile, latency over time,
 * goodput against offered load. Points are in axis positions; those outside the y axis are clamped to its edge, and
 * a point whose y is not a number breaks its line. Optional markers draw labelled vertical lines (phase or level
 * starts). Stateless.
 */
final class SvgLineChart {

  /** Radius of a series' dots, in pixels. */
  static final double DOT_RADIUS = 3.5;

  private SvgLineChart() {}

  /** An {@code <svg>} element titled {@code title} drawing {@code series} on {@code x} and {@code y}. */
  static String render(String title, ChartAxis x, ChartAxis y, List<ChartSeries> series) {
    return render(title, x, y, series, List.of());
  }

  /** As {@link #render(String, ChartAxis, ChartAxis, List)}, with {@code markers} drawn under the lines. */
  static String render(
      String title, ChartAxis x, ChartAxis y, List<ChartSeries> series, List<ChartMarker> markers) {
    SvgFrame frame = new SvgFrame(title, y);
    frame.xAxis(x);
    frame.legend(series);
    for (ChartMarker m : markers) {
      double px = SvgFrame.x(x, m.x());
      frame.raw(String.format(
          Locale.ROOT,
          "<line class=\"marker\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#9ca3af\""
              + " stroke-dasharray=\"3 3\"/>\n",
          px,
          SvgFrame.TOP,
          px,
          SvgFrame.HEIGHT - SvgFrame.BOTTOM));
      frame.text(px + 3, SvgFrame.TOP + 10, "start", "tick", m.label());
    }
    for (ChartSeries s : series) {
      StringBuilder points = new StringBuilder();
      for (ChartSeries.Point p : s.points()) {
        if (Double.isNaN(p.y())) {
          polyline(frame, s, points);
          continue;
        }
        points.append(
            String.format(Locale.ROOT, "%.1f,%.1f ", SvgFrame.x(x, p.x()), frame.y(p.y())));
        if (s.dots()) {
          frame.raw(String.format(
              Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>\n",
              SvgFrame.x(x, p.x()),
              frame.y(p.y()),
              DOT_RADIUS,
              HtmlText.escape(s.colour())));
        }
      }
      polyline(frame, s, points);
    }
    return frame.finish();
  }

  /** Draws the points gathered in {@code points} as one line, if any, and empties it. */
  private static void polyline(SvgFrame frame, ChartSeries s, StringBuilder points) {
    if (points.length() == 0) {
      return;
    }
    frame.raw(String.format(
        Locale.ROOT,
        "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%s\"><title>%s</title></polyline>\n",
        HtmlText.escape(s.colour()),
        SvgFrame.dashAttribute(s.dash()),
        points.toString().strip(),
        HtmlText.escape(s.label())));
    points.setLength(0);
  }
}
