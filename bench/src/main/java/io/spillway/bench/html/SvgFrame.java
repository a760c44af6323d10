package io.spillway.bench.html;

import java.util.List;
import java.util.Locale;

/**
 * The frame every chart shares: an SVG element of fixed size with a title, a legend row, a y axis with grid lines
 * and tick labels, and an x axis (ticked, or a bare baseline for categories). Maps axis positions to pixels. Not
 * thread-safe; one per chart.
 */
final class SvgFrame {

  static final int WIDTH = 880;
  static final int HEIGHT = 380;
  static final int LEFT = 80;
  static final int RIGHT = 24;
  static final int TOP = 64;
  /** Room under the plot for tick labels (possibly slanted) and the x axis' title. */
  static final int BOTTOM = 72;

  private final StringBuilder svg = new StringBuilder(8_192);
  private final ChartAxis y;

  /** Starts a chart titled {@code title} whose vertical axis is {@code y}. */
  SvgFrame(String title, ChartAxis y) {
    this.y = y;
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(HEIGHT)
        .append("\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(HEIGHT)
        .append("\" role=\"img\">\n");
    svg.append("<title>").append(HtmlText.escape(title)).append("</title>\n");
    text(LEFT, 22, "start", "chart-title", title);
    for (ChartAxis.Tick t : y.ticks()) {
      double py = y(t.position());
      svg.append(String.format(
          Locale.ROOT,
          "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n",
          LEFT,
          py,
          WIDTH - RIGHT,
          py));
      text(LEFT - 8, py + 4, "end", "tick", t.label());
    }
    svg.append(String.format(
        Locale.ROOT,
        "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
        LEFT,
        TOP,
        LEFT,
        HEIGHT - BOTTOM));
    svg.append(String.format(
        Locale.ROOT,
        "<text class=\"axis-title\" text-anchor=\"middle\" transform=\"translate(18 %d) rotate(-90)\">%s</text>\n",
        (TOP + HEIGHT - BOTTOM) / 2,
        HtmlText.escape(y.title())));
  }

  /** Draws a ticked x axis along the bottom of the plot. */
  void xAxis(ChartAxis x) {
    baseline();
    for (ChartAxis.Tick t : x.ticks()) {
      double px = x(x, t.position());
      svg.append(String.format(
          Locale.ROOT,
          "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n",
          px,
          HEIGHT - BOTTOM,
          px,
          HEIGHT - BOTTOM + 5));
      text(px, HEIGHT - BOTTOM + 20, "middle", "tick", t.label());
    }
    xTitle(x.title());
  }

  /** Draws the bottom line of the plot without ticks, for categories that label themselves. */
  void baseline() {
    svg.append(String.format(
        Locale.ROOT,
        "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
        LEFT,
        HEIGHT - BOTTOM,
        WIDTH - RIGHT,
        HEIGHT - BOTTOM));
  }

  /** Writes the x axis' title under the tick labels. */
  void xTitle(String title) {
    text((LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 12, "middle", "axis-title", title);
  }

  /** Draws one legend entry per series, in a row under the title. */
  void legend(List<ChartSeries> series) {
    double px = LEFT;
    for (ChartSeries s : series) {
      svg.append(String.format(
          Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"40\" x2=\"%.1f\" y2=\"40\" stroke=\"%s\" stroke-width=\"3\"%s/>\n",
          px,
          px + 22,
          HtmlText.escape(s.colour()),
          dashAttribute(s.dash())));
      text(px + 28, 44, "start", "legend", s.label());
      px += 44 + 7 * s.label().length();
    }
  }

  /** The horizontal pixel of {@code position} on {@code x}. */
  static double x(ChartAxis x, double position) {
    return LEFT + (position - x.min()) / (x.max() - x.min()) * plotWidth();
  }

  /** The vertical pixel of {@code position} on this chart's y axis, clamped to the plot. */
  double y(double position) {
    double clamped = Math.max(y.min(), Math.min(y.max(), position));
    return HEIGHT - BOTTOM - (clamped - y.min()) / (y.max() - y.min()) * plotHeight();
  }

  static double plotWidth() {
    return WIDTH - LEFT - RIGHT;
  }

  static double plotHeight() {
    return HEIGHT - TOP - BOTTOM;
  }

  /** Appends raw SVG markup; the caller escapes any text in it. */
  SvgFrame raw(String markup) {
    svg.append(markup);
    return this;
  }

  /** Writes {@code content}, escaped, at ({@code px}, {@code py}). */
  void text(double px, double py, String anchor, String cssClass, String content) {
    svg.append(String.format(
        Locale.ROOT,
        "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>\n",
        cssClass,
        px,
        py,
        anchor,
        HtmlText.escape(content)));
  }

  /** The finished {@code <svg>} element. */
  String finish() {
    return svg + "</svg>\n";
  }

  static String dashAttribute(String dash) {
    return dash.isEmpty() ? "" : " stroke-dasharray=\"" + HtmlText.escape(dash) + "\"";
  }
}
