package io.spillway.bench.assertion;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one {@code --assert} fared, as printed and as written into the JSON report. Immutable; JSON-serialisable.
 *
 * @param expr the expression as written
 * @param passed whether it held; null when it could not be evaluated
 * @param values every metric name it references, as written, to the value used; empty when not evaluated
 * @param error why it could not be evaluated, or null
 */
public record ThresholdResult(
    String expr, Boolean passed, Map<String, Double> values, String error) {

  public ThresholdResult {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  static ThresholdResult evaluated(String expr, boolean passed, Map<String, Double> values) {
    return new ThresholdResult(expr, passed, values, null);
  }

  static ThresholdResult unevaluable(String expr, String error) {
    return new ThresholdResult(expr, null, Map.of(), error);
  }
}
