package io.spillway.bench.html;

import io.spillway.bench.report.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a run's latency over time from the 1 s samples in its details, as one chart's worth of series and markers
 * per timeline: for {@code fanout}, one timeline per run from {@value #SAMPLES_KEY} ({@code latency_p50_ms},
 * {@code latency_p99_ms}, marked where the measured window and the drain start); for {@code http-overload}, one per
 * admission mode from each level's samples in {@value #LEVELS_KEY} ({@code admitted_p50_ms}, {@code
 * admitted_p99_ms}), the mode's levels laid end to end and marked where each starts. Stateless.
 */
final class LatencyTimeline {

  static final String SAMPLES_KEY = "samples";
  static final String LEVELS_KEY = "levels";
  /** The dash of the p50 line; p99 is solid. */
  static final String P50_DASH = "6 4";

  /**
   * One chart's content.
   *
   * @param title the chart's title
   * @param xTitle the time axis' title
   * @param series p50 and p99 lines, x in seconds, y in milliseconds (NaN where an interval had no latency)
   * @param markers phase or level starts
   */
  record Timeline(
      String title, String xTitle, List<ChartSeries> series, List<ChartMarker> markers) {

    /** The last time, in seconds; 0 without points. */
    double xMax() {
      return series.stream()
          .flatMap(s -> s.points().stream())
          .mapToDouble(ChartSeries.Point::x)
          .max()
          .orElse(0);
    }

    /** The highest latency, in milliseconds; 0 without points. */
    double yMax() {
      return series.stream()
          .flatMap(s -> s.points().stream())
          .mapToDouble(ChartSeries.Point::y)
          .filter(Double::isFinite)
          .max()
          .orElse(0);
    }
  }

  private LatencyTimeline() {}

  /** The run's timelines; empty when it has no samples with latency. */
  static List<Timeline> of(RunResult run, String runName, String colour) {
    List<Timeline> timelines = new ArrayList<>();
    List<Map<?, ?>> samples = ReportDetails.maps(run.details().get(SAMPLES_KEY));
    if (!samples.isEmpty()) {
      fanout(samples, runName, colour).ifPresent(timelines::add);
    }
    Map<String, List<Map<?, ?>>> levelsByMode = new LinkedHashMap<>();
    for (Map<?, ?> level : ReportDetails.maps(run.details().get(LEVELS_KEY))) {
      levelsByMode
          .computeIfAbsent(ReportDetails.text(level, "mode"), k -> new ArrayList<>())
          .add(level);
    }
    levelsByMode.forEach(
        (mode, levels) -> overload(levels, runName, mode).ifPresent(timelines::add));
    return timelines;
  }

  private static Optional<Timeline> fanout(List<Map<?, ?>> samples, String runName, String colour) {
    List<ChartSeries.Point> p50 = new ArrayList<>();
    List<ChartSeries.Point> p99 = new ArrayList<>();
    List<ChartMarker> markers = new ArrayList<>();
    String phase = null;
    double previousT = 0;
    for (Map<?, ?> s : samples) {
      double t = ReportDetails.number(s, "t_s");
      if (Double.isNaN(t)) {
        continue;
      }
      String p = ReportDetails.text(s, "phase");
      if (phase != null && !p.equals(phase)) {
        markers.add(new ChartMarker(previousT, p));
      }
      phase = p;
      previousT = t;
      p50.add(new ChartSeries.Point(t, ReportDetails.number(s, "latency_p50_ms")));
      p99.add(new ChartSeries.Point(t, ReportDetails.number(s, "latency_p99_ms")));
    }
    return timeline(
        "Latency over time: " + runName,
        "time since the start of publishing (s)",
        runName,
        colour,
        p50,
        p99,
        markers);
  }

  private static Optional<Timeline> overload(List<Map<?, ?>> levels, String runName, String mode) {
    List<ChartSeries.Point> p50 = new ArrayList<>();
    List<ChartSeries.Point> p99 = new ArrayList<>();
    List<ChartMarker> markers = new ArrayList<>();
    double offset = 0;
    for (Map<?, ?> level : levels) {
      markers.add(
          new ChartMarker(offset, ChartAxis.label(ReportDetails.number(level, "level")) + "x"));
      double last = 0;
      for (Map<?, ?> s : ReportDetails.maps(level.get(SAMPLES_KEY))) {
        double t = ReportDetails.number(s, "t_s");
        if (Double.isNaN(t)) {
          continue;
        }
        p50.add(new ChartSeries.Point(offset + t, ReportDetails.number(s, "admitted_p50_ms")));
        p99.add(new ChartSeries.Point(offset + t, ReportDetails.number(s, "admitted_p99_ms")));
        last = Math.max(last, t);
      }
      offset += last;
    }
    return timeline(
        "Admitted latency over time: " + runName + ", admission " + mode,
        "time, the mode's levels end to end (s)",
        "admission " + mode,
        OverloadCurves.colourOf(mode),
        p50,
        p99,
        markers);
  }

  private static Optional<Timeline> timeline(
      String title,
      String xTitle,
      String name,
      String colour,
      List<ChartSeries.Point> p50,
      List<ChartSeries.Point> p99,
      List<ChartMarker> markers) {
    if (p99.stream().noneMatch(p -> Double.isFinite(p.y()))) {
      return Optional.empty();
    }
    return Optional.of(new Timeline(
        title,
        xTitle,
        List.of(
            new ChartSeries(name + " p99", colour, "", p99),
            new ChartSeries(name + " p50", colour, P50_DASH, p50)),
        markers));
  }
}
