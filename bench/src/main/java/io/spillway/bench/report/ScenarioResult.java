package io.spillway.bench.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run of a scenario against one target measured. Immutable; JSON-serialisable.
 *
 * @param metrics the figures, in the order tables show them
 * @param details scenario-specific structure kept for the JSON report (disconnects with their error text, the
 *     latency histogram...); values are strings, numbers, lists, maps or records of those
 * @param warnings sentences a reader must see beside the figures (a saturated load generator, a drain that timed
 *     out...)
 */
public record ScenarioResult(
    List<Metric> metrics, Map<String, Object> details, List<String> warnings) {

  public ScenarioResult {
    metrics = List.copyOf(metrics);
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    warnings = List.copyOf(warnings);
  }
}
