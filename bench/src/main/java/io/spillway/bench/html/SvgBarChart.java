package io.spillway.bench.html;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws one vertical bar per category, labelled under the bar and valued above it, with a legend of the bars'
 * colours. Stateless.
 */
final class SvgBarChart {

  /** Widest bar, in pixels. */
  static final double MAX_BAR_WIDTH = 64;
  /** Above this many bars, category labels are slanted so that they do not overlap. */
  static final int SLANT_ABOVE = 6;

  private SvgBarChart() {}

  /**
   * One bar.
   *
   * @param category the label under the bar
   * @param value the bar's height, in the y axis' units
   * @param valueLabel the text above the bar
   * @param colour a CSS colour
   * @param legend the legend entry the colour stands for
   */
  record Bar(String category, double value, String valueLabel, String colour, String legend) {}

  /** An {@code <svg>} element titled {@code title} drawing {@code bars} against a y axis titled {@code yTitle}. */
  static String render(String title, String xTitle, String yTitle, List<Bar> bars) {
    double top = bars.stream().mapToDouble(Bar::value).max().orElse(0);
    SvgFrame frame = new SvgFrame(title, ChartAxis.linear(yTitle, top * 1.1));
    frame.baseline();
    frame.xTitle(xTitle);
    Map<String, String> legend = new LinkedHashMap<>();
    bars.forEach(b -> legend.putIfAbsent(b.legend(), b.colour()));
    List<ChartSeries> entries = new ArrayList<>();
    legend.forEach((label, colour) -> entries.add(new ChartSeries(label, colour, "", List.of())));
    frame.legend(entries);
    double slot = SvgFrame.plotWidth() / Math.max(1, bars.size());
    double width = Math.min(MAX_BAR_WIDTH, slot * 0.7);
    boolean slant = bars.size() > SLANT_ABOVE;
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      double centre = SvgFrame.LEFT + slot * (i + 0.5);
      double barTop = frame.y(b.value());
      double base = frame.y(0);
      frame.raw(String.format(
          Locale.ROOT,
          "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s</title></rect>\n",
          centre - width / 2,
          barTop,
          width,
          base - barTop,
          HtmlText.escape(b.colour()),
          HtmlText.escape(b.category() + ": " + b.valueLabel())));
      frame.text(centre, barTop - 5, "middle", "value", b.valueLabel());
      if (slant) {
        frame.raw(String.format(
            Locale.ROOT,
            "<text class=\"tick\" text-anchor=\"end\" transform=\"translate(%.1f %.1f) rotate(-30)\">%s</text>\n",
            centre,
            base + 16,
            HtmlText.escape(b.category())));
      } else {
        frame.text(centre, base + 20, "middle", "tick", b.category());
      }
    }
    return frame.finish();
  }
}
