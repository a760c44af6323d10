package io.spillway.bench.html;

import io.spillway.bench.report.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code http-overload}'s load levels from the runs' details ({@value #LEVELS_KEY}: {@code mode}, {@code
 * offered_per_s}, {@code goodput_per_s}, {@code admitted_percentiles_ms}) and draws them against the offered load:
 * goodput (with the line where goodput equals the offered load) and admitted p99, one series per admission mode
 * and round. Stateless.
 */
final class OverloadCurves {

  static final String LEVELS_KEY = "levels";
  /** One colour per admission mode; other modes take {@link #OTHER_COLOURS} in turn. */
  static final Map<String, String> MODE_COLOURS =
      Map.of("off", "#dc2626", "on", "#16a34a", "attached", "#7c3aed");

  static final List<String> OTHER_COLOURS = List.of("#2563eb", "#ea580c", "#0891b2");
  /** The colour of the goodput = offered reference line. */
  static final String IDEAL_COLOUR = "#9ca3af";

  private OverloadCurves() {}

  /** The colour of admission {@code mode}'s series. */
  static String colourOf(String mode) {
    String c = MODE_COLOURS.get(mode);
    return c != null ? c : OTHER_COLOURS.get(Math.floorMod(mode.hashCode(), OTHER_COLOURS.size()));
  }

  /** The two charts as {@code <svg>} elements, or an empty list when no run has load levels. */
  static List<String> render(List<RunResult> runs) {
    List<ChartSeries> goodput = new ArrayList<>();
    List<ChartSeries> p99 = new ArrayList<>();
    double maxOffered = 0;
    double maxGoodput = 0;
    double maxP99 = 0;
    boolean manyRounds = runs.stream().mapToInt(RunResult::round).max().orElse(1) > 1;
    for (RunResult run : runs) {
      Map<String, List<ChartSeries.Point>> goodputByMode = new LinkedHashMap<>();
      Map<String, List<ChartSeries.Point>> p99ByMode = new LinkedHashMap<>();
      for (Map<?, ?> level : ReportDetails.maps(run.details().get(LEVELS_KEY))) {
        double offered = ReportDetails.number(level, "offered_per_s");
        double good = ReportDetails.number(level, "goodput_per_s");
        if (!(offered > 0) || Double.isNaN(good)) {
          continue;
        }
        String mode = ReportDetails.text(level, "mode");
        double latency = level.get("admitted_percentiles_ms") instanceof Map<?, ?> pct
            ? ReportDetails.number(pct, "99")
            : Double.NaN;
        goodputByMode
            .computeIfAbsent(mode, k -> new ArrayList<>())
            .add(new ChartSeries.Point(offered, good));
        p99ByMode
            .computeIfAbsent(mode, k -> new ArrayList<>())
            .add(new ChartSeries.Point(offered, latency));
        maxOffered = Math.max(maxOffered, offered);
        maxGoodput = Math.max(maxGoodput, good);
        maxP99 = Double.isFinite(latency) ? Math.max(maxP99, latency) : maxP99;
      }
      String dash = HtmlReportWriter.ROUND_DASHES.get(
          (run.round() - 1) % HtmlReportWriter.ROUND_DASHES.size());
      String suffix = manyRounds ? " r" + run.round() : "";
      goodputByMode.forEach((mode, points) -> goodput.add(series(mode, suffix, dash, points)));
      p99ByMode.forEach((mode, points) -> p99.add(series(mode, suffix, dash, points)));
    }
    if (goodput.isEmpty()) {
      return List.of();
    }
    ChartAxis offeredAxis = ChartAxis.linear("offered load (req/s)", maxOffered);
    goodput.add(new ChartSeries(
        "goodput = offered",
        IDEAL_COLOUR,
        "3 3",
        List.of(
            new ChartSeries.Point(0, 0),
            new ChartSeries.Point(offeredAxis.max(), offeredAxis.max()))));
    return List.of(
        SvgLineChart.render(
            "Goodput against offered load",
            offeredAxis,
            ChartAxis.linear("goodput (2xx in deadline/s)", Math.max(maxOffered, maxGoodput)),
            goodput),
        SvgLineChart.render(
            "Admitted p99 latency against offered load",
            offeredAxis,
            ChartAxis.linear("admitted p99 (ms)", maxP99 * 1.1),
            p99));
  }

  private static ChartSeries series(
      String mode, String suffix, String dash, List<ChartSeries.Point> points) {
    List<ChartSeries.Point> sorted = new ArrayList<>(points);
    sorted.sort((a, b) -> Double.compare(a.x(), b.x()));
    return new ChartSeries("admission " + mode + suffix, colourOf(mode), dash, sorted, true);
  }
}
