package io.spillway.bench.assertion;

import io.spillway.bench.endpoint.Target;
import io.spillway.bench.report.BenchReport;
import java.util.ArrayList;
import java.util.List;

/**
 * Every {@code --assert} of a command line, parsed and checked against the targets before the run, evaluated
 * against the report after it. Immutable.
 */
public final class Thresholds {

  private final List<Threshold> thresholds;

  private Thresholds(List<Threshold> thresholds) {
    this.thresholds = List.copyOf(thresholds);
  }

  /**
   * Parses {@code expressions} and checks each metric name's qualifier against {@code targets}, which are named
   * A and B in run order. Loads nothing: meant to run before any connection.
   *
   * @throws IllegalArgumentException for the first expression that does not parse (naming the column), or whose
   *     names point at no target, at a ratio without two targets, or at no single target (unqualified with two)
   */
  public static Thresholds parse(List<String> expressions, List<Target> targets) {
    List<TargetScope.Member> members = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      members.add(new TargetScope.Member(i == 0 ? "A" : "B", targets.get(i).label()));
    }
    TargetScope scope = new TargetScope(members);
    List<Threshold> parsed = new ArrayList<>();
    for (String expression : expressions) {
      Threshold t = Threshold.parse(expression);
      for (String name : t.metricNames()) {
        try {
          scope.resolve(name);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--assert '" + expression + "': " + e.getMessage(), e);
        }
      }
      parsed.add(t);
    }
    return new Thresholds(parsed);
  }

  /** Evaluates every threshold against {@code report}; one that cannot be evaluated does not stop the others. */
  public ThresholdVerdicts evaluate(BenchReport report) {
    ReportMetrics metrics = new ReportMetrics(report);
    List<ThresholdResult> results = new ArrayList<>();
    for (Threshold t : thresholds) {
      try {
        results.add(t.evaluate(metrics));
      } catch (IllegalArgumentException e) {
        results.add(ThresholdResult.unevaluable(t.text(), e.getMessage()));
      }
    }
    return new ThresholdVerdicts(results);
  }
}
