package io.spillway.bench.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.bench.report.Metric;
import io.spillway.bench.report.ScenarioResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverloadResultsTest {

  private static final long MS = 1_000_000L;
  private static final long DEADLINE = 1_000 * MS;

  /** A level where {@code ok} requests took {@code latencyMs}, and {@code shed} were refused with 503 codel. */
  private static PhaseResult level(String mode, double level, long ok, long latencyMs, long shed) {
    RequestTally t = new RequestTally();
    for (long i = 0; i < ok; i++) {
      t.response(200, null, latencyMs * MS, DEADLINE, 50);
    }
    for (long i = 0; i < shed; i++) {
      t.response(503, "codel", MS, DEADLINE, -1);
    }
    t.scheduled = ok + shed;
    t.sent = ok + shed;
    return new PhaseResult(mode, level, 1_000 * level, 10, t, List.of(), true);
  }

  private static double metric(ScenarioResult r, String name) {
    return r.metrics().stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .map(Metric::value)
        .orElseThrow(() -> new AssertionError("no metric " + name));
  }

  @Test
  void reportsGoodputAndAdmittedLatencyPerModeAndLevel() {
    List<PhaseResult> phases =
        List.of(level("on", 0.5, 5_000, 2, 0), level("on", 4, 10_000, 5, 30_000));

    ScenarioResult r = OverloadResults.build(1_000, "given", null, phases, Map.of());

    assertThat(metric(r, "capacity_per_s")).isEqualTo(1_000);
    assertThat(metric(r, "on_x0_5_goodput_per_s")).isEqualTo(500);
    assertThat(metric(r, "on_x4_offered_per_s")).isEqualTo(4_000);
    assertThat(metric(r, "on_x4_goodput_per_s")).isEqualTo(1_000);
    assertThat(metric(r, "on_x4_admitted_p99_ms")).isBetween(4.99, 5.01);
    assertThat(metric(r, "on_x4_shed")).isEqualTo(30_000);
  }

  @Test
  void comparesGoodputAtTheHighestLevelWithTheLevelNearestCapacity() {
    List<PhaseResult> phases = new ArrayList<>(List.of(
        level("off", 0.5, 5_000, 2, 0),
        level("off", 1, 9_000, 3, 0),
        level("off", 4, 900, 900, 0)));

    ScenarioResult r = OverloadResults.build(1_000, "given", null, phases, Map.of());

    assertThat(metric(r, "off_goodput_ratio")).isEqualTo(0.1);
    assertThat(metric(r, "off_admitted_p99_ms")).isBetween(899.0, 901.0);
  }

  @Test
  void givesItsOwnTableOneRowPerModeAndLevelWithShedsByReason() {
    List<PhaseResult> phases = List.of(level("off", 1, 10, 1, 0), level("on", 1, 10, 1, 5));

    ScenarioResult r = OverloadResults.build(1_000, "given", null, phases, Map.of());

    @SuppressWarnings("unchecked")
    List<List<String>> table = (List<List<String>>) r.details().get("table");
    assertThat(table).hasSize(3);
    assertThat(table.get(0)).isEqualTo(OverloadResults.TABLE_HEADER);
    assertThat(table.get(2)).startsWith("on", "1x").contains("503=5", "codel=5");
  }

  @Test
  void keepsPerLevelCountsAndSamplesInTheDetails() {
    ScenarioResult r =
        OverloadResults.build(1_000, "given", null, List.of(level("on", 2, 3, 1, 2)), Map.of());

    @SuppressWarnings("unchecked")
    Map<String, Object> d = ((List<Map<String, Object>>) r.details().get("levels")).get(0);
    assertThat(d)
        .containsEntry("ok", 3L)
        .containsEntry("shed", 2L)
        .containsEntry("shed_by_reason", Map.of("codel", 2L))
        .containsEntry("receivers_min", 50L)
        .containsKeys("samples", "admitted_histogram_ns");
  }
}
