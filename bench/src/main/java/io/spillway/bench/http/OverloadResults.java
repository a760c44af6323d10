package io.spillway.bench.http;

import io.spillway.bench.report.Metric;
import io.spillway.bench.report.ReportTable;
import io.spillway.bench.report.ScenarioResult;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the phases of an {@code http-overload} run into its figures, its table, its details and its warnings.
 * Stateless apart from what it builds; used once.
 *
 * <p>Metric names are {@code MODE_LEVEL_FIGURE}: {@code on_x4_goodput_per_s}, {@code off_x0_5_admitted_p99_ms}.
 * Per mode, {@code MODE_goodput_ratio} is goodput at the highest level over goodput at the level nearest 1×, and
 * {@code MODE_admitted_p99_ms} the admitted p99 at the highest level: the two acceptance figures.
 */
final class OverloadResults {

  private final List<Metric> metrics = new ArrayList<>();
  private final Map<String, Object> details = new LinkedHashMap<>();
  private final List<String> warnings = new ArrayList<>();

  /** Column headers of the scenario's own table. */
  static final List<String> TABLE_HEADER = List.of(
      "mode",
      "level",
      "offered/s",
      "goodput/s",
      "p50 ms",
      "p99 ms",
      "p999 ms",
      "shed",
      "shed p99 ms",
      "shed by status",
      "shed by reason",
      "late",
      "errors",
      "client dropped");

  /**
   * @param capacity the requests per second the levels multiply
   * @param capacityMethod how it was obtained, in words
   * @param calibration the calibration phase, or null when --capacity was given
   * @param phases every level of every mode, in the order run
   */
  static ScenarioResult build(
      double capacity,
      String capacityMethod,
      PhaseResult calibration,
      List<PhaseResult> phases,
      Map<String, Object> perMode) {
    OverloadResults r = new OverloadResults();
    r.metrics.add(Metric.neither("capacity_per_s", "req/s", capacity));
    r.details.put("capacity_per_s", capacity);
    r.details.put("capacity_method", capacityMethod);
    if (calibration != null) {
      r.details.put("calibration", r.phaseDetails(calibration));
    }
    List<List<String>> table = new ArrayList<>();
    table.add(TABLE_HEADER);
    List<Map<String, Object>> levels = new ArrayList<>();
    for (PhaseResult p : phases) {
      r.addLevelMetrics(p);
      table.add(row(p));
      levels.add(r.phaseDetails(p));
      r.warn(p);
    }
    phases.stream().map(PhaseResult::mode).distinct().forEach(mode -> r.addSummary(mode, phases));
    r.details.put("table", table);
    r.details.put("levels", levels);
    r.details.put("modes", perMode);
    return new ScenarioResult(r.metrics, r.details, r.warnings);
  }

  private void addLevelMetrics(PhaseResult p) {
    String k = p.mode() + "_" + HttpOverloadConfig.levelKey(p.level()) + "_";
    RequestTally t = p.tally();
    metrics.add(Metric.neither(k + "offered_per_s", "req/s", p.offeredPerSecond()));
    metrics.add(Metric.higher(k + "goodput_per_s", "req/s", p.goodputPerSecond()));
    if (t.admittedCount() > 0) {
      metrics.add(Metric.lower(k + "admitted_p50_ms", "ms", p.admittedMillis(50)));
      metrics.add(Metric.lower(k + "admitted_p99_ms", "ms", p.admittedMillis(99)));
      metrics.add(Metric.lower(k + "admitted_p999_ms", "ms", p.admittedMillis(99.9)));
    }
    metrics.add(Metric.neither(k + "shed", "reqs", t.shed));
    if (t.shed > 0) {
      metrics.add(Metric.lower(k + "shed_answer_p50_ms", "ms", p.shedAnswerMillis(50)));
      metrics.add(Metric.lower(k + "shed_answer_p99_ms", "ms", p.shedAnswerMillis(99)));
    }
    metrics.add(Metric.lower(k + "late", "reqs", t.late));
    metrics.add(Metric.lower(k + "errors", "reqs", t.errors + t.timeouts + t.otherStatus));
    metrics.add(Metric.lower(k + "client_dropped", "reqs", t.backlogDropped + t.expired));
  }

  private void addSummary(String mode, List<PhaseResult> phases) {
    List<PhaseResult> mine = phases.stream().filter(p -> p.mode().equals(mode)).toList();
    PhaseResult highest =
        mine.stream().max((a, b) -> Double.compare(a.level(), b.level())).orElseThrow();
    PhaseResult nearestOne = mine.stream()
        .min((a, b) -> Double.compare(Math.abs(Math.log(a.level())), Math.abs(Math.log(b.level()))))
        .orElseThrow();
    if (nearestOne.goodputPerSecond() > 0) {
      metrics.add(Metric.higher(
          mode + "_goodput_ratio",
          "x",
          highest.goodputPerSecond() / nearestOne.goodputPerSecond()));
    }
    if (highest.tally().admittedCount() > 0) {
      metrics.add(Metric.lower(mode + "_admitted_p99_ms", "ms", highest.admittedMillis(99)));
    }
  }

  private static List<String> row(PhaseResult p) {
    RequestTally t = p.tally();
    return List.of(
        p.mode(),
        HttpOverloadConfig.levelLabel(p.level()),
        ReportTable.format(p.offeredPerSecond(), "req/s"),
        ReportTable.format(p.goodputPerSecond(), "req/s"),
        millis(p.admittedMillis(50)),
        millis(p.admittedMillis(99)),
        millis(p.admittedMillis(99.9)),
        ReportTable.format(t.shed, "reqs"),
        millis(p.shedAnswerMillis(99)),
        compact(t.shedByStatus()),
        compact(t.shedByReason()),
        ReportTable.format(t.late, "reqs"),
        ReportTable.format(t.errors + t.timeouts + t.otherStatus, "reqs"),
        ReportTable.format(t.backlogDropped + t.expired, "reqs"));
  }

  private static String millis(double v) {
    return Double.isNaN(v) ? "-" : ReportTable.format(v, "ms");
  }

  private static String compact(Map<?, Long> counts) {
    if (counts.isEmpty()) {
      return "-";
    }
    StringBuilder sb = new StringBuilder();
    counts.forEach(
        (k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return sb.toString();
  }

  private Map<String, Object> phaseDetails(PhaseResult p) {
    RequestTally t = p.tally();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("mode", p.mode());
    d.put("level", p.level());
    d.put("offered_per_s", p.offeredPerSecond());
    d.put("measured_s", p.measuredSeconds());
    d.put("goodput_per_s", p.goodputPerSecond());
    d.put("admitted_per_s", p.admittedPerSecond());
    d.put("scheduled", t.scheduled);
    d.put("sent", t.sent);
    d.put("ok", t.ok);
    d.put("late", t.late);
    d.put("shed", t.shed);
    d.put("shed_by_status", stringKeys(t.shedByStatus()));
    d.put("shed_by_reason", t.shedByReason());
    d.put("other_status", stringKeys(t.otherByStatus()));
    d.put("errors", t.errors);
    d.put("timeouts", t.timeouts);
    d.put("client_backlog_dropped", t.backlogDropped);
    d.put("client_expired", t.expired);
    d.put(
        "receivers_min",
        t.admittedCount() > 0 && t.receiversMin != Long.MAX_VALUE ? t.receiversMin : null);
    d.put(
        "receivers_max",
        t.admittedCount() > 0 && t.receiversMax != Long.MIN_VALUE ? t.receiversMax : null);
    Map<String, Object> pct = new LinkedHashMap<>();
    for (double q : new double[] {50, 90, 99, 99.9, 100}) {
      pct.put(
          q == Math.rint(q) ? Long.toString((long) q) : Double.toString(q), p.admittedMillis(q));
    }
    d.put("admitted_percentiles_ms", t.admittedCount() > 0 ? pct : Map.of());
    d.put("admitted_latency_clamped", t.latencyClamped);
    Map<String, Object> shedPct = new LinkedHashMap<>();
    for (double q : new double[] {50, 90, 99, 99.9, 100}) {
      shedPct.put(
          q == Math.rint(q) ? Long.toString((long) q) : Double.toString(q), p.shedAnswerMillis(q));
    }
    d.put("shed_answer_percentiles_ms", t.shed > 0 ? shedPct : Map.of());
    d.put("admitted_histogram_ns", encode(t));
    d.put("drained", p.drained());
    d.put("samples", p.samples());
    return d;
  }

  private static Map<String, Long> stringKeys(Map<Integer, Long> m) {
    Map<String, Long> s = new LinkedHashMap<>();
    m.forEach((k, v) -> s.put(Integer.toString(k), v));
    return s;
  }

  private static String encode(RequestTally t) {
    ByteBuffer buf = ByteBuffer.allocate(t.admitted().getNeededByteBufferCapacity());
    int length = t.admitted().encodeIntoCompressedByteBuffer(buf);
    return Base64.getEncoder().encodeToString(Arrays.copyOf(buf.array(), length));
  }

  private void warn(PhaseResult p) {
    String where = p.mode() + " " + HttpOverloadConfig.levelLabel(p.level());
    RequestTally t = p.tally();
    if (!p.drained()) {
      warnings.add(
          where + ": requests still outstanding when the drain timed out; counted as timeouts");
    }
    if (t.otherStatus > 0) {
      warnings.add(String.format(
          Locale.ROOT,
          "%s: %d response(s) with an unexpected status %s: check the server" + " and the endpoint",
          where,
          t.otherStatus,
          t.otherByStatus()));
    }
    if (t.admittedCount() == 0 && t.sent > 0) {
      warnings.add(where + ": no 2xx at all: no admitted latency");
    }
  }
}
