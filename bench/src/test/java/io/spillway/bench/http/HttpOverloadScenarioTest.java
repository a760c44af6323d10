package io.spillway.bench.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.spillway.bench.TestContexts;
import io.spillway.bench.endpoint.Target;
import io.spillway.bench.html.HtmlReportWriter;
import io.spillway.bench.report.BenchReport;
import io.spillway.bench.report.JsonReportWriter;
import io.spillway.bench.report.Metric;
import io.spillway.bench.report.ReportTable;
import io.spillway.bench.report.RunResult;
import io.spillway.bench.report.ScenarioResult;
import io.spillway.bench.run.ClientTransport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole scenario, both modes, against in-test HTTP servers standing in for Spillway (no subscribers). */
class HttpOverloadScenarioTest {

  private final ByteArrayOutputStream progress = new ByteArrayOutputStream();
  private final List<String> started = new ArrayList<>();

  @TempDir
  Path dir;

  /** Starts a rule server per mode: "on" sheds every third request, "off" answers everything. */
  private ServerLauncher inTestServers() {
    return (mode, target, progressStream) -> {
      started.add(mode);
      RuleHttpServer server = new RuleHttpServer(n -> mode.equals("on") && n % 3 == 2
          ? new RuleHttpServer.Reply(503, "concurrency_limit", 0)
          : new RuleHttpServer.Reply(200, null, 2));
      return new ServerLauncher.RunningServer() {
        @Override
        public InetSocketAddress http() {
          return server.address();
        }

        @Override
        public InetSocketAddress resp() {
          throw new AssertionError("no subscribers in this test");
        }

        @Override
        public long pid() {
          return -1;
        }

        @Override
        public void close() {
          server.close();
        }
      };
    };
  }

  @Test
  void calibratesOnTheFirstModeThenRunsEveryLevelOfEveryModeOnItsOwnServer() throws Exception {
    HttpOverloadConfig config = HttpOverloadConfig.builder()
        .levels(List.of(0.5, 1.0))
        .subscribers(0)
        .connections(16)
        .calibrationConnections(4)
        .calibration(Duration.ofMillis(300))
        .warmup(Duration.ZERO)
        .duration(Duration.ofMillis(300))
        .build();
    HttpOverloadScenario scenario = new HttpOverloadScenario(config, inTestServers());
    ScenarioResult result;
    try (ClientTransport transport = ClientTransport.create(1)) {
      result =
          scenario.run(Target.parse("resp://127.0.0.1:1"), TestContexts.of(transport, progress));
    }

    assertThat(started).containsExactly("off", "on");
    double capacity = value(result, "capacity_per_s");
    assertThat(capacity).isPositive();
    assertThat(value(result, "off_x0_5_offered_per_s")).isEqualTo(capacity * 0.5);
    assertThat(value(result, "on_x1_offered_per_s")).isEqualTo(capacity);
    assertThat(value(result, "off_x1_shed")).isZero();
    assertThat(value(result, "on_x1_shed")).isPositive();
    assertThat(result.metrics())
        .extracting(Metric::name)
        .contains("off_goodput_ratio", "on_goodput_ratio", "on_admitted_p99_ms");
    assertThat(result.details()).containsKeys("calibration", "levels", "modes", "capacity_method");
    assertThat(progress.toString(StandardCharsets.UTF_8))
        .contains("[off calibration]", "[on 1x]", "capacity:");

    ByteArrayOutputStream table = new ByteArrayOutputStream();
    BenchReport report = BenchReport.of(
        "test",
        "now",
        scenario.name(),
        scenario.parameters(),
        Map.of(),
        List.of(new BenchReport.TargetEntry("A", "t", "resp://127.0.0.1:1", null)),
        1,
        List.of(RunResult.of("A", "resp://127.0.0.1:1", "t", 1, "now", result)));
    ReportTable.print(report, new PrintStream(table, true, StandardCharsets.UTF_8));
    assertThat(table.toString(StandardCharsets.UTF_8))
        .contains("goodput/s", "shed by reason", "concurrency_limit=");
    String json = JsonReportWriter.toJson(report);
    assertThat(new ObjectMapper()
            .readTree(json)
            .at("/runs/0/details/levels/0/samples")
            .isArray())
        .isTrue();
    Path html = dir.resolve("report.html");
    HtmlReportWriter.write(report, html);
    assertThat(Files.readString(html)).contains("on_x1_goodput_per_s");
  }

  private static double value(ScenarioResult r, String name) {
    return r.metrics().stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .map(Metric::value)
        .orElseThrow(() -> new AssertionError("no metric " + name + " in " + r.metrics()));
  }
}
