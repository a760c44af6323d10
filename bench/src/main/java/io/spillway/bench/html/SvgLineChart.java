package io.spillway.bench.html;

import java.util.List;
import java.util.Locale;

/**
 * Draws series of (x, y) points as lines on two axes, with a legend: latency against percentile today, goodput
 * against offered load or a figure over time tomorrow. Points are in axis positions; those outside the y axis are
 * clamped to its edge. Stateless.
 */
final class SvgLineChart {

  private SvgLineChart() {}

  /** An {@code <svg>} element titled {@code title} drawing {@code series} on {@code x} and {@code y}. */
  static String render(String title, ChartAxis x, ChartAxis y, List<ChartSeries> series) {
    SvgFrame frame = new SvgFrame(title, y);
    frame.xAxis(x);
    frame.legend(series);
    for (ChartSeries s : series) {
      StringBuilder points = new StringBuilder();
      for (ChartSeries.Point p : s.points()) {
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", SvgFrame.x(x, p.x()), frame.y(p.y())));
      }
      frame.raw(String.format(Locale.ROOT,
          "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%s\"><title>%s</title></polyline>\n",
          HtmlText.escape(s.colour()), SvgFrame.dashAttribute(s.dash()), points.toString().strip(),
          HtmlText.escape(s.label())));
    }
    return frame.finish();
  }
}
