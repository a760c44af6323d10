package io.spillway.bench.html;

import io.spillway.bench.report.BenchReport;
import io.spillway.bench.report.Metric;
import io.spillway.bench.report.ReportTable;
import io.spillway.bench.report.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes a {@link BenchReport} as one self-contained HTML file: the header (scenario, parameters, load generator,
 * targets), the table the terminal shows, the warnings, and SVG charts: latency distribution per run, delivered
 * msg/s per run, latency over time (p50 and p99 per 1 s sample, {@link LatencyTimeline}) and, for load levels,
 * goodput and admitted p99 against offered load ({@link OverloadCurves}). Everything is inline: no script, stylesheet, font or image is fetched, so the file opens offline
 * and can be attached anywhere. The markup is also well-formed XML. Thread-safe.
 */
public final class HtmlReportWriter {

  /** The metric the bar chart shows. */
  static final String DELIVERED_METRIC = "delivered_per_s";
  /** One colour per target, A first. */
  static final List<String> TARGET_COLOURS = List.of("#2563eb", "#ea580c");
  /** One line pattern per round, round 1 solid, repeating. */
  static final List<String> ROUND_DASHES = List.of("", "7 4", "2 3", "10 3 2 3");

  private HtmlReportWriter() {}

  /** Writes {@code report} to {@code file}, creating its parent directories and replacing the file. */
  public static void write(BenchReport report, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, toHtml(report), StandardCharsets.UTF_8);
  }

  /** {@code report} as an HTML document. */
  public static String toHtml(BenchReport report) {
    StringBuilder html = new StringBuilder(64 * 1024);
    String title = "spillway bench " + report.scenario();
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>")
        .append(HtmlText.escape(title))
        .append("</title>\n<style>\n")
        .append(HtmlReportStyle.CSS)
        .append("</style>\n</head>\n<body>\n");
    html.append("<h1>").append(HtmlText.escape(title)).append("</h1>\n");
    header(report, html);
    html.append("<h2>Results</h2>\n");
    HtmlReportTable.append(report, html);
    warnings(report, html);
    html.append("<h2>Charts</h2>\n");
    charts(report, html);
    html.append("<p class=\"note\">")
        .append(HtmlText.escape(report.aggregation()))
        .append("</p>\n");
    html.append("</body>\n</html>\n");
    return html.toString();
  }

  private static void header(BenchReport report, StringBuilder html) {
    html.append("<table class=\"facts\">\n");
    fact(html, "started", report.startedAt());
    fact(html, "tool", report.tool() + " " + report.version());
    fact(html, "rounds", report.rounds());
    report.parameters().forEach((k, v) -> fact(html, k, v));
    report.loadGenerator().forEach((k, v) -> fact(html, "load generator " + k, v));
    html.append(
        "</table>\n<h2>Targets</h2>\n<table class=\"targets\">\n<tr><th></th><th>name</th><th>label</th>"
            + "<th>URI</th><th>server pid</th></tr>\n");
    for (int i = 0; i < report.targets().size(); i++) {
      BenchReport.TargetEntry t = report.targets().get(i);
      html.append("<tr><td><span class=\"swatch\" style=\"background:")
          .append(colourOf(i))
          .append("\"></span></td><td>")
          .append(HtmlText.escape(t.name()))
          .append("</td><td>")
          .append(HtmlText.escape(t.label()))
          .append("</td><td><code>")
          .append(HtmlText.escape(t.uri()))
          .append("</code></td><td>")
          .append(t.serverPid() == null ? "-" : t.serverPid())
          .append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  private static void fact(StringBuilder html, String name, Object value) {
    html.append("<tr><th>")
        .append(HtmlText.escape(name))
        .append("</th><td>")
        .append(HtmlText.escape(value))
        .append("</td></tr>\n");
  }

  private static void warnings(BenchReport report, StringBuilder html) {
    List<String> items = new ArrayList<>();
    for (RunResult r : report.runs()) {
      r.warnings().forEach(w -> items.add("[" + runName(r) + "] " + w));
    }
    if (!items.isEmpty()) {
      html.append("<h2>Warnings</h2>\n<ul class=\"warnings\">\n");
      items.forEach(w -> html.append("<li>").append(HtmlText.escape(w)).append("</li>\n"));
      html.append("</ul>\n");
    }
  }

  private static void charts(BenchReport report, StringBuilder html) {
    List<ChartSeries> latency = new ArrayList<>();
    double top = 0;
    for (RunResult r : report.runs()) {
      List<ChartSeries.Point> points = LatencyDistribution.of(r);
      if (!points.isEmpty()) {
        latency.add(new ChartSeries(
            runName(r),
            colourOf(r),
            ROUND_DASHES.get((r.round() - 1) % ROUND_DASHES.size()),
            points));
        top = Math.max(
            top, points.stream().mapToDouble(ChartSeries.Point::y).max().orElse(0));
      }
    }
    if (latency.isEmpty()) {
      html.append(
          "<p class=\"note\">No run has latency figures: no latency distribution to chart.</p>\n");
    } else {
      figure(
          html,
          SvgLineChart.render(
              "Latency by percentile",
              PercentileAxis.axis(),
              ChartAxis.linear("latency (ms)", top),
              latency));
    }
    List<SvgBarChart.Bar> bars = new ArrayList<>();
    for (RunResult r : report.runs()) {
      Optional<Metric> m = r.metric(DELIVERED_METRIC);
      m.ifPresent(d -> bars.add(new SvgBarChart.Bar(
          runName(r),
          d.value(),
          ReportTable.format(d.value(), d.unit()),
          colourOf(r),
          r.targetName() + " " + r.label())));
    }
    if (!bars.isEmpty()) {
      figure(
          html,
          SvgBarChart.render("Delivered messages per second", "run", "delivered (msg/s)", bars));
    }
    timelines(report, html);
    OverloadCurves.render(report.runs()).forEach(svg -> figure(html, svg));
  }

  private static void timelines(BenchReport report, StringBuilder html) {
    boolean any = false;
    for (RunResult r : report.runs()) {
      for (LatencyTimeline.Timeline t : LatencyTimeline.of(r, runName(r), colourOf(r))) {
        figure(
            html,
            SvgLineChart.render(
                t.title(),
                ChartAxis.linear(t.xTitle(), t.xMax()),
                ChartAxis.linear("latency (ms)", t.yMax() * 1.1),
                t.series(),
                t.markers()));
        any = true;
      }
    }
    if (!any) {
      html.append(
          "<p class=\"note\">This report has no per-interval samples, so latency over time is not"
              + " charted: every figure covers the whole measured window.</p>\n");
    }
  }

  private static void figure(StringBuilder html, String svg) {
    html.append("<figure>\n").append(svg).append("</figure>\n");
  }

  /** How a run is named in legends and warnings: target, label, round. */
  static String runName(RunResult r) {
    return r.targetName() + " " + r.label() + " r" + r.round();
  }

  private static String colourOf(RunResult r) {
    return colourOf("B".equals(r.targetName()) ? 1 : 0);
  }

  private static String colourOf(int targetIndex) {
    return TARGET_COLOURS.get(targetIndex % TARGET_COLOURS.size());
  }
}
