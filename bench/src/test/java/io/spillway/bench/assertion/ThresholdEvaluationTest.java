package io.spillway.bench.assertion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spillway.bench.endpoint.Target;
import io.spillway.bench.report.BenchReport;
import io.spillway.bench.report.Metric;
import io.spillway.bench.report.RunResult;
import io.spillway.bench.report.ScenarioResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThresholdEvaluationTest {

  private static final Target REDIS = Target.parse("resp://127.0.0.1:1#redis");
  private static final Target SPILLWAY = Target.parse("resp://127.0.0.1:2#spillway");

  @Test
  void passesAndFailsOnASingleRunShowingEveryReferencedValue() {
    BenchReport report = report(List.of(REDIS), run("A", 1, 1_000_000, 0, 8.61));

    ThresholdVerdicts v = Thresholds.parse(
            List.of("lost==0", "latency_p99_ms<=5 || delivered_per_s<1"), List.of(REDIS))
        .evaluate(report);

    assertThat(v.outcome()).isEqualTo(ThresholdVerdicts.Outcome.FAILED);
    assertThat(printed(v))
        .contains(
            "assert PASS  lost==0  (lost=0)",
            "assert FAIL  latency_p99_ms<=5 || delivered_per_s<1  (latency_p99_ms=8.61, delivered_per_s=1000000)");
  }

  @Test
  void usesEachTargetsMedianOverRoundsAndTheRatio() {
    BenchReport report = report(
        List.of(REDIS, SPILLWAY),
        run("A", 1, 100, 0, 1),
        run("B", 1, 150, 2, 1),
        run("A", 2, 300, 0, 1),
        run("B", 2, 250, 4, 1),
        run("A", 3, 200, 0, 1),
        run("B", 3, 50, 0, 1));

    ThresholdVerdicts v = Thresholds.parse(
            List.of(
                "A.delivered_per_s==200 && spillway.delivered_per_s==150 && B.lost==2",
                "ratio.delivered_per_s==0.75"),
            List.of(REDIS, SPILLWAY))
        .evaluate(report);

    assertThat(v.outcome()).isEqualTo(ThresholdVerdicts.Outcome.PASSED);
    assertThat(v.results().get(0).values())
        .containsExactly(
            Map.entry("A.delivered_per_s", 200.0),
            Map.entry("spillway.delivered_per_s", 150.0),
            Map.entry("B.lost", 2.0));
  }

  @Test
  void reportsAnUnknownMetricWithTheKnownNamesAsUnevaluable() {
    BenchReport report = report(List.of(REDIS), run("A", 1, 100, 0, 1));

    ThresholdVerdicts v =
        Thresholds.parse(List.of("lots==0", "lost==1"), List.of(REDIS)).evaluate(report);

    assertThat(v.outcome()).isEqualTo(ThresholdVerdicts.Outcome.UNEVALUABLE);
    assertThat(v.results().get(0).error())
        .isEqualTo("unknown metric 'lots'; known metrics: delivered_per_s, lost, latency_p99_ms");
    assertThat(v.results().get(1).passed()).as("the others are still evaluated").isFalse();
    assertThat(printed(v)).contains("assert ERROR  lots==0  (unknown metric 'lots'");
  }

  @Test
  void suggestsTheClosestNamesWhenThereAreMany() {
    List<String> known = new ArrayList<>(List.of("lost", "latency_p99_ms", "latency_p50_ms"));
    for (int i = 0; i < 10; i++) {
      known.add("other_" + i);
    }

    assertThat(ReportMetrics.suggestions("latency_p90_ms", new LinkedHashSet<>(known)))
        .startsWith("closest known metrics: latency_p50_ms, latency_p99_ms, ")
        .endsWith("(13 in the table)");
  }

  @Test
  void reportsARatioToAZeroAsUnevaluable() {
    BenchReport report =
        report(List.of(REDIS, SPILLWAY), run("A", 1, 100, 0, 1), run("B", 1, 100, 3, 1));

    ThresholdVerdicts v =
        Thresholds.parse(List.of("ratio.lost<=1"), List.of(REDIS, SPILLWAY)).evaluate(report);

    assertThat(v.outcome()).isEqualTo(ThresholdVerdicts.Outcome.UNEVALUABLE);
    assertThat(v.results().get(0).error()).contains("A's median of lost is 0");
  }

  @Test
  void passesWithoutThresholdsAndPrintsNothing() {
    ThresholdVerdicts v = Thresholds.parse(List.of(), List.of(REDIS))
        .evaluate(report(List.of(REDIS), run("A", 1, 1, 0, 1)));

    assertThat(v.outcome()).isEqualTo(ThresholdVerdicts.Outcome.PASSED);
    assertThat(printed(v)).isEmpty();
  }

  @Test
  void formatsWholeNumbersInFullAndOthersToSixDigits() {
    assertThat(ThresholdVerdicts.format(2_469_134)).isEqualTo("2469134");
    assertThat(ThresholdVerdicts.format(8.61)).isEqualTo("8.61");
    assertThat(ThresholdVerdicts.format(1.0 / 3)).isEqualTo("0.333333");
  }

  @Test
  void addsTheAssertionsToTheJsonReport(@TempDir Path dir) throws Exception {
    BenchReport report = report(List.of(REDIS), run("A", 1, 100, 0, 1));
    ThresholdVerdicts v = Thresholds.parse(List.of("lost==0"), List.of(REDIS)).evaluate(report);
    Path file = dir.resolve("out/report.json");

    v.writeJson(report, file);

    JsonNode json = new ObjectMapper().readTree(Files.readString(file));
    assertThat(json.get("scenario").asText()).isEqualTo("fanout");
    assertThat(json.get("assertions").get(0).get("expr").asText()).isEqualTo("lost==0");
    assertThat(json.get("assertions").get(0).get("passed").asBoolean()).isTrue();
    assertThat(json.get("assertions").get(0).get("values").get("lost").asDouble())
        .isEqualTo(0.0);
  }

  private static String printed(ThresholdVerdicts v) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    v.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static BenchReport report(List<Target> targets, RunResult... runs) {
    List<BenchReport.TargetEntry> entries = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      entries.add(new BenchReport.TargetEntry(
          i == 0 ? "A" : "B", targets.get(i).label(), targets.get(i).uri(), null));
    }
    int rounds = List.of(runs).stream().mapToInt(RunResult::round).max().orElse(1);
    return BenchReport.of(
        "test",
        "2025-01-01T00:00:00Z",
        "fanout",
        Map.of(),
        Map.of(),
        entries,
        rounds,
        List.of(runs));
  }

  private static RunResult run(String name, int round, double delivered, double lost, double p99) {
    Target t = name.equals("A") ? REDIS : SPILLWAY;
    return RunResult.of(
        name,
        t.uri(),
        t.label(),
        round,
        "2025-01-01T00:00:00Z",
        new ScenarioResult(
            List.of(
                Metric.higher("delivered_per_s", "msg/s", delivered),
                Metric.lower("lost", "msgs", lost),
                Metric.lower("latency_p99_ms", "ms", p99)),
            Map.of(),
            List.of()));
  }
}
