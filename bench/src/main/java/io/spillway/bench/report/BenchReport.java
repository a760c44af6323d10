package io.spillway.bench.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one {@code spillway bench} invocation measured: what ran, on what, each run, and per target the
 * median of each metric over its rounds, with ratios B/A when two targets were compared. Immutable;
 * JSON-serialisable (the {@code --json} file is this object).
 *
 * @param tool {@code spillway-bench}
 * @param version the bench's version
 * @param startedAt ISO-8601 instant the invocation started
 * @param scenario the scenario's name
 * @param parameters the scenario's settings
 * @param loadGenerator where the load came from: JVM, CPUs, transport, event loop threads
 * @param targets the targets in run order, named A and B
 * @param rounds rounds per target
 * @param runs every run in the order run: A, B, A, B...
 * @param summary per target, the median over its rounds of each metric
 * @param ratios B's median over A's, per metric; null where A's median is 0; empty without a comparison
 * @param aggregation how summary and ratios were computed, in words
 */
public record BenchReport(
    String tool,
    String version,
    String startedAt,
    String scenario,
    Map<String, Object> parameters,
    Map<String, Object> loadGenerator,
    List<TargetEntry> targets,
    int rounds,
    List<RunResult> runs,
    List<TargetSummary> summary,
    Map<String, Double> ratios,
    String aggregation) {

  /** How {@link #summary} and {@link #ratios} are computed, as written into every report. */
  public static final String AGGREGATION =
      "summary: per target, the median of each metric over its rounds (the "
          + "mean of the middle two for an even count); ratios: B's median / A's median, per metric (null where A's "
          + "is 0). Read a ratio with the metric's 'better' direction.";

  /**
   * A target as reported.
   *
   * @param name {@code A} or {@code B}
   * @param label the target's label
   * @param uri the target's URI
   * @param serverPid the watched server process, or null
   */
  public record TargetEntry(String name, String label, String uri, Long serverPid) {}

  /**
   * One target's medians.
   *
   * @param name {@code A} or {@code B}
   * @param label the target's label
   * @param median metric name to median over rounds, in the runs' metric order
   */
  public record TargetSummary(String name, String label, Map<String, Double> median) {}

  /** Builds a report, computing the summary and ratios from {@code runs}. */
  public static BenchReport of(
      String version,
      String startedAt,
      String scenario,
      Map<String, Object> parameters,
      Map<String, Object> loadGenerator,
      List<TargetEntry> targets,
      int rounds,
      List<RunResult> runs) {
    List<TargetSummary> summary = new ArrayList<>();
    for (TargetEntry t : targets) {
      Map<String, List<Double>> values = new LinkedHashMap<>();
      for (RunResult r : runs) {
        if (r.targetName().equals(t.name())) {
          r.metrics()
              .forEach(
                  m -> values.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(m.value()));
        }
      }
      Map<String, Double> median = new LinkedHashMap<>();
      values.forEach((name, v) -> median.put(name, median(v)));
      summary.add(new TargetSummary(t.name(), t.label(), Collections.unmodifiableMap(median)));
    }
    Map<String, Double> ratios = new LinkedHashMap<>();
    if (summary.size() == 2) {
      Map<String, Double> a = summary.get(0).median();
      Map<String, Double> b = summary.get(1).median();
      a.forEach((name, av) -> {
        Double bv = b.get(name);
        if (bv != null) {
          ratios.put(name, av == 0 ? null : bv / av);
        }
      });
    }
    return new BenchReport(
        "spillway-bench",
        version,
        startedAt,
        scenario,
        parameters,
        loadGenerator,
        List.copyOf(targets),
        rounds,
        List.copyOf(runs),
        List.copyOf(summary),
        Collections.unmodifiableMap(ratios),
        AGGREGATION);
  }

  /** The median of {@code values}; the mean of the middle two for an even count. */
  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
