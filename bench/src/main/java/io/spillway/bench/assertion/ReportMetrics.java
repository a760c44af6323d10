package io.spillway.bench.assertion;

import io.spillway.bench.report.BenchReport;
import io.spillway.core.config.Spelling;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The values {@code --assert} names refer to in a finished report: per target the median over its rounds
 * ({@link BenchReport.TargetSummary#median()}, which with one round is that round's value), and the ratios B/A.
 * Immutable.
 */
final class ReportMetrics {

  /** Up to this many known names are listed in full when a name is unknown; beyond it, only the closest. */
  static final int LIST_ALL_UP_TO = 10;
  /** How many of the closest known names an unknown-name message suggests. */
  static final int CLOSEST = 5;

  private final BenchReport report;
  private final TargetScope scope;

  ReportMetrics(BenchReport report) {
    this.report = report;
    List<TargetScope.Member> members = new ArrayList<>();
    report.targets().forEach(t -> members.add(new TargetScope.Member(t.name(), t.label())));
    this.scope = new TargetScope(members);
  }

  /**
   * The value {@code written} refers to.
   *
   * @throws IllegalArgumentException if the name cannot be resolved (see {@link TargetScope#resolve}), the
   *     metric is not in the report (the message lists the known names, or the closest few), or it is a ratio
   *     whose A median is 0
   */
  double value(String written) {
    TargetScope.Resolved r = scope.resolve(written);
    Map<String, Double> values = r.ratio() ? report.ratios() : medians(r.target());
    if (!values.containsKey(r.metric())) {
      String where = written.equals(r.metric()) ? "" : " in '" + written + "'";
      throw new IllegalArgumentException("unknown metric '" + r.metric() + "'" + where + "; "
          + suggestions(r.metric(), values.keySet()));
    }
    Double v = values.get(r.metric());
    if (v == null) {
      throw new IllegalArgumentException(
          "'" + written + "' is undefined: A's median of " + r.metric() + " is 0");
    }
    return v;
  }

  private Map<String, Double> medians(String target) {
    return report.summary().stream()
        .filter(s -> s.name().equals(target))
        .findFirst()
        .map(BenchReport.TargetSummary::median)
        .orElse(Map.of());
  }

  static String suggestions(String unknown, Set<String> known) {
    if (known.isEmpty()) {
      return "the report has no metrics";
    }
    if (known.size() <= LIST_ALL_UP_TO) {
      return "known metrics: " + String.join(", ", known);
    }
    List<String> closest = new ArrayList<>(known);
    closest.sort(
        Comparator.comparingInt((String k) -> Spelling.distance(unknown, k)).thenComparing(k -> k));
    return "closest known metrics: " + String.join(", ", closest.subList(0, CLOSEST)) + " ("
        + known.size() + " in the table)";
  }
}
