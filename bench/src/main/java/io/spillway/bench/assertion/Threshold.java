package io.spillway.bench.assertion;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** One {@code --assert} expression, parsed. Immutable. */
final class Threshold {

  private final String text;
  private final Condition condition;
  private final Set<String> metricNames;

  private Threshold(String text, Condition condition) {
    this.text = text;
    this.condition = condition;
    Set<String> names = new LinkedHashSet<>();
    condition.collectNames(names);
    this.metricNames = Collections.unmodifiableSet(names);
  }

  /**
   * Parses {@code text} (see {@link ThresholdParser} for the grammar).
   *
   * @throws ThresholdSyntaxException naming what was expected, the column and the expression
   */
  static Threshold parse(String text) {
    return new Threshold(text, ThresholdParser.parse(text));
  }

  /** The expression as written. */
  String text() {
    return text;
  }

  /** The metric names referenced, as written, in reading order. */
  Set<String> metricNames() {
    return metricNames;
  }

  /**
   * Evaluates against {@code metrics}, resolving every referenced name first so that the result shows them all.
   *
   * @throws IllegalArgumentException if a name cannot be resolved, with the message of {@link ReportMetrics#value}
   */
  ThresholdResult evaluate(ReportMetrics metrics) {
    Map<String, Double> values = new LinkedHashMap<>();
    for (String name : metricNames) {
      values.put(name, metrics.value(name));
    }
    return ThresholdResult.evaluated(text, condition.test(values), values);
  }

  /** True if the condition holds for {@code values}, which must hold every name of {@link #metricNames()}. */
  boolean test(Map<String, Double> values) {
    return condition.test(values);
  }
}
