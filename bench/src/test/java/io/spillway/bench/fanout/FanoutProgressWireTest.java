package io.spillway.bench.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.bench.TestContexts;
import io.spillway.bench.endpoint.Target;
import io.spillway.bench.report.ScenarioResult;
import io.spillway.bench.run.ClientTransport;
import io.spillway.server.SpillwayServer;
import io.spillway.server.config.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A short open-loop fan-out against a real in-process Spillway server: progress lines and 1 s samples. */
class FanoutProgressWireTest {

  private SpillwayServer server;

  @BeforeEach
  void startServer() throws InterruptedException {
    server = SpillwayServer.start(ServerConfig.builder()
        .bind("127.0.0.1")
        .port(0)
        .http(io.spillway.server.config.HttpConfig.builder().port(0).build())
        .build());
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    server.close();
    server.awaitClosed();
  }

  @Test
  void printsProgressEachSecondAndKeepsSamplesThatAddUpToTheRun() throws Exception {
    FanoutConfig config = FanoutConfig.builder()
        .publishers(1)
        .subscribers(3)
        .channels(1)
        .payloadBytes(64)
        .rate(200)
        .warmup(Duration.ofSeconds(1))
        .duration(Duration.ofSeconds(1))
        .build();
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    ScenarioResult result;
    try (ClientTransport transport = ClientTransport.create(1)) {
      result = new FanoutScenario(config)
          .run(
              Target.parse("resp://127.0.0.1:" + server.port()),
              TestContexts.of(transport, progress));
    }

    String printed = progress.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .contains("  [warm-up] ", "  [measured] ", " published ", " delivered ", " lost 0 p99 ");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> samples =
        (List<Map<String, Object>>) result.details().get("samples");
    assertThat(samples).extracting(s -> s.get("phase")).contains("warm-up", "measured");
    long published = samples.stream().mapToLong(s -> (Long) s.get("published")).sum();
    long delivered = samples.stream().mapToLong(s -> (Long) s.get("delivered")).sum();
    assertThat(published)
        .as("samples add up to the run's PUBLISHes")
        .isEqualTo(metric(result, "published"));
    assertThat(delivered).as("3 subscribers get every message").isEqualTo(3 * published);
    assertThat(samples)
        .filteredOn(s -> "measured".equals(s.get("phase")))
        .anySatisfy(
            s -> assertThat((Double) s.get("latency_p99_ms")).isNotNull().isPositive())
        .allSatisfy(s -> assertThat(s.get("lost")).isEqualTo(0L));
  }

  private static long metric(ScenarioResult r, String name) {
    return (long) r.metrics().stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow()
        .value();
  }
}
