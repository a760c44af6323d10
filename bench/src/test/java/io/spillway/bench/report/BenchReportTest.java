package io.spillway.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchReportTest {

  @Test
  void summarisesEachTargetByMedianAndComparesBOverA() {
    BenchReport r = report(List.of(
        run("A", 1, 100, 0), run("B", 1, 150, 2),
        run("A", 2, 300, 0), run("B", 2, 250, 4),
        run("A", 3, 200, 0), run("B", 3, 50, 0)));

    assertThat(r.summary().get(0).median())
        .containsEntry("delivered_per_s", 200.0)
        .containsEntry("lost", 0.0);
    assertThat(r.summary().get(1).median())
        .containsEntry("delivered_per_s", 150.0)
        .containsEntry("lost", 2.0);
    assertThat(r.ratios()).containsEntry("delivered_per_s", 0.75);
    assertThat(r.ratios()).containsKey("lost");
    assertThat(r.ratios().get("lost")).as("no ratio to a zero").isNull();
  }

  @Test
  void takesTheMeanOfTheMiddleTwoForAnEvenCount() {
    assertThat(BenchReport.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
  }

  @Test
  void serialisesToJsonWithRunsSummaryAndRatios() throws Exception {
    String json =
        JsonReportWriter.toJson(report(List.of(run("A", 1, 100, 0), run("B", 1, 150, 2))));

    assertThat(json)
        .contains(
            "\"scenario\" : \"fanout\"",
            "\"delivered_per_s\"",
            "\"ratios\"",
            "\"better\" : \"HIGHER\"",
            "\"targetName\" : \"B\"");
  }

  @Test
  void printsOneColumnPerRunAndTheRatio() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ReportTable.print(
        report(List.of(run("A", 1, 1_234_567, 0), run("B", 1, 2_469_134, 0))),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String table = bytes.toString(StandardCharsets.UTF_8);

    assertThat(table).contains("A redis r1", "B spillway r1", "B/A");
    assertThat(table)
        .containsPattern("delivered_per_s\\s+msg/s\\s+1,234,567\\s+2,469,134\\s+2\\.00x");
  }

  private static BenchReport report(List<RunResult> runs) {
    Map<String, Object> params = new HashMap<>();
    params.put("payload_bytes", 128);
    return BenchReport.of(
        "test",
        "2025-01-01T00:00:00Z",
        "fanout",
        params,
        Map.of("threads", 1),
        List.of(
            new BenchReport.TargetEntry("A", "redis", "resp://127.0.0.1:1", null),
            new BenchReport.TargetEntry("B", "spillway", "resp://127.0.0.1:2", null)),
        runs.stream().mapToInt(RunResult::round).max().orElse(1),
        runs);
  }

  private static RunResult run(String name, int round, double delivered, double lost) {
    String label = name.equals("A") ? "redis" : "spillway";
    String uri = name.equals("A") ? "resp://127.0.0.1:1" : "resp://127.0.0.1:2";
    return RunResult.of(
        name,
        uri,
        label,
        round,
        "2025-01-01T00:00:00Z",
        new ScenarioResult(
            List.of(
                Metric.higher("delivered_per_s", "msg/s", delivered),
                Metric.lower("lost", "msgs", lost)),
            Map.of(),
            List.of()));
  }
}
