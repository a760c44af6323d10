package io.spillway.bench.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.bench.TestContexts;
import io.spillway.bench.endpoint.Target;
import io.spillway.bench.report.Metric;
import io.spillway.bench.report.ScenarioResult;
import io.spillway.bench.run.ClientTransport;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scenario against real in-process Spillway servers, both admission modes, at low rates for a few seconds. */
class HttpOverloadEndToEndTest {

  private final List<String> started = new ArrayList<>();

  private ServerLauncher inProcess() {
    ServerLauncher servers = InProcessServers.byAdmissionMode();
    return (mode, target, progress) -> {
      started.add(mode);
      return servers.start(mode, target, progress);
    };
  }

  @Test
  void publishesThroughTheHttpApiInBothModesAndCountsEveryRequest() throws Exception {
    HttpOverloadConfig config = HttpOverloadConfig.builder()
        .levels(List.of(0.5, 2.0))
        .capacity(100)
        .subscribers(3)
        .connections(8)
        .warmup(Duration.ZERO)
        .duration(Duration.ofMillis(500))
        .build();
    HttpOverloadScenario scenario = new HttpOverloadScenario(config, inProcess());
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    ScenarioResult result;
    try (ClientTransport transport = ClientTransport.create(1)) {
      result =
          scenario.run(Target.parse("resp://127.0.0.1:1"), TestContexts.of(transport, progress));
    }

    assertThat(started).containsExactly("off", "on");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> levels =
        (List<Map<String, Object>>) result.details().get("levels");
    assertThat(levels).hasSize(4).allSatisfy(level -> {
      assertThat((Long) level.get("scheduled")).as("rate x duration").isPositive();
      assertThat((Long) level.get("ok") + (Long) level.get("late") + (Long) level.get("shed"))
          .as("every request answered: 200 or shed")
          .isEqualTo(level.get("scheduled"));
      assertThat(level.get("receivers_max"))
          .as("each publish reached the 3 subscribers")
          .isEqualTo(3L);
    });
    assertThat(value(result, "off_x0_5_goodput_per_s")).isPositive();
    assertThat(value(result, "on_x0_5_goodput_per_s")).isPositive();
    assertThat(value(result, "off_x2_errors") + value(result, "on_x2_errors")).isZero();
  }

  private static double value(ScenarioResult r, String name) {
    return r.metrics().stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .map(Metric::value)
        .orElseThrow(() -> new AssertionError("no metric " + name + " in " + r.metrics()));
  }
}
