package io.spillway.bench.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run of a scenario against one target, in one round. Immutable; JSON-serialisable.
 *
 * @param targetName {@code A} (or {@code B} when comparing)
 * @param target the target's URI, without label
 * @param label the target's label
 * @param round 1-based round number
 * @param startedAt ISO-8601 instant the run started
 * @param metrics as in {@link ScenarioResult#metrics()}
 * @param details as in {@link ScenarioResult#details()}
 * @param warnings as in {@link ScenarioResult#warnings()}
 */
public record RunResult(
    String targetName,
    String target,
    String label,
    int round,
    String startedAt,
    List<Metric> metrics,
    Map<String, Object> details,
    List<String> warnings) {

  public RunResult {
    metrics = List.copyOf(metrics);
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    warnings = List.copyOf(warnings);
  }

  public static RunResult of(
      String targetName,
      String target,
      String label,
      int round,
      String startedAt,
      ScenarioResult result) {
    return new RunResult(
        targetName,
        target,
        label,
        round,
        startedAt,
        result.metrics(),
        result.details(),
        result.warnings());
  }

  /** The metric called {@code name}, if this run has it. */
  public Optional<Metric> metric(String name) {
    return metrics.stream().filter(m -> m.name().equals(name)).findFirst();
  }
}
