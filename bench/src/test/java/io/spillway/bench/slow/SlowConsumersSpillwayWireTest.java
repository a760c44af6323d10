package io.spillway.bench.slow;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.bench.TestContexts;
import io.spillway.bench.endpoint.Target;
import io.spillway.bench.report.Metric;
import io.spillway.bench.report.ScenarioResult;
import io.spillway.bench.run.ClientTransport;
import io.spillway.bench.run.RunContext;
import io.spillway.server.SpillwayServer;
import io.spillway.server.config.HttpConfig;
import io.spillway.server.config.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The flood variant at small scale against a real in-process Spillway with its default limits: stalled readers
 * beside fast subscribers on the bench's event loops, 1 500 messages of 1 KiB a second (small: the test JVM runs
 * Netty's paranoid leak detection). Spillway must cut
 * every stalled reader and leave the fast subscribers whole; the run must report that, with the worst case the
 * server prints and a sample per second.
 */
class SlowConsumersSpillwayWireTest {

  private SpillwayServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = SpillwayServer.start(ServerConfig.builder()
        .bind("127.0.0.1")
        .port(0)
        .http(HttpConfig.builder().port(-1).build())
        .build());
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    server.close();
    server.awaitClosed();
  }

  @Test
  void cutsEveryStalledReaderUnderAFloodWhileTheFastSubscribersLoseNothing() throws Exception {
    SlowConsumersConfig config =
        new SlowConsumersConfig(4, 3, 0, 4096, 1024, 1500, 256, Duration.ofSeconds(3));
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    ScenarioResult result;
    try (ClientTransport transport = ClientTransport.create(2)) {
      RunContext context = TestContexts.of(transport, progress);
      result = new SlowConsumersScenario(config)
          .run(Target.parse("resp://127.0.0.1:" + server.port()), context);
    }

    Map<String, Double> m =
        result.metrics().stream().collect(Collectors.toMap(Metric::name, Metric::value));
    String log = progress.toString(StandardCharsets.UTF_8);
    assertThat(m.get("published")).as(log).isGreaterThan(3_000.0);
    assertThat(m.get("fast_lost")).as(log).isZero();
    assertThat(m.get("fast_disconnects")).as(log).isZero();
    assertThat(m.get("fast_delivered")).isEqualTo(4 * m.get("published"));
    assertThat(m.get("slow_never_cut")).as(log).isZero();
    assertThat(m.get("slow_cut_s_max")).as(log).isBetween(0.0, 3.0);
    assertThat(m.get("worst_case_mb")).isPositive();
    assertThat(m)
        .containsKeys(
            "fast_latency_p99_ms_baseline", "fast_latency_p99_ms_with_slow", "published_per_s");
    assertThat(log).contains("[baseline]", "[slow]", "slow cut 3/3");
    List<?> samples = (List<?>) result.details().get("samples");
    assertThat(samples).hasSizeGreaterThanOrEqualTo(5);
    assertThat(samples.get(0))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("phase", "baseline")
        .containsKeys("published", "fast_received", "slow_cut");
  }
}
