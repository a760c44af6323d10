package io.spillway.bench.burst;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.bench.TestContexts;
import io.spillway.bench.endpoint.Target;
import io.spillway.bench.http.InProcessServers;
import io.spillway.bench.http.ServerLauncher;
import io.spillway.bench.report.ScenarioResult;
import io.spillway.bench.run.ClientTransport;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The burst scenario against real in-process servers, both admission modes, small bursts. */
class BurstEndToEndTest {

  private final List<String> started = new ArrayList<>();

  private ServerLauncher inProcess() {
    ServerLauncher servers = InProcessServers.byAdmissionMode();
    return (mode, target, progress) -> {
      started.add(mode);
      return servers.start(mode, target, progress);
    };
  }

  @Test
  void answersEveryRequestOfEachBurstInBothModesAndReportsThem() throws Exception {
    BurstConfig config = new BurstConfig(
        50,
        2,
        1,
        Duration.ofMillis(200),
        List.of("on", "off"),
        256,
        Duration.ofSeconds(1),
        List.of(),
        List.of());
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    ScenarioResult result;
    try (ClientTransport transport = ClientTransport.create(1)) {
      result = new BurstScenario(config, inProcess())
          .run(Target.parse("resp://127.0.0.1:1"), TestContexts.of(transport, progress));
    }
    assertThat(started).containsExactly("on", "off");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> bursts =
        (List<Map<String, Object>>) result.details().get("bursts");
    assertThat(bursts).hasSize(4).allSatisfy(b -> {
      @SuppressWarnings("unchecked")
      Map<String, Integer> byStatus = (Map<String, Integer>) b.get("by_status");
      assertThat(byStatus.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(50);
      assertThat(byStatus).doesNotContainKey("0");
    });
    assertThat(result.metrics())
        .extracting(m -> m.name())
        .contains("on_b1_ok_in_deadline", "off_b2_p99_ms");
    assertThat(result.warnings()).isEmpty();
  }
}
