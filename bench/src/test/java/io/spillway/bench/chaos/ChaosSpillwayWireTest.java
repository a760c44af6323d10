package io.spillway.bench.chaos;

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
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chaos scenario at small scale against a real in-process Spillway (40 clients at most, HTTP request timeout
 * 1 s): every hostile kind runs, the bystander must lose nothing, the stalled subscriber must be cut, every
 * slowloris connection closed, every malformed request answered with a close. Rates, PING latency and the
 * WebSocket's cut are reported but not asserted here: the test JVM runs paranoid leak detection, which slows the
 * in-process server several times; scripts/regression.sh asserts them against a real server process.
 */
class ChaosSpillwayWireTest {

  private SpillwayServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = SpillwayServer.start(ServerConfig.builder()
        .bind("127.0.0.1")
        .port(0)
        .maxClients(40)
        .http(HttpConfig.builder().port(0).requestTimeout(Duration.ofSeconds(1)).build())
        .build());
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    server.close();
    server.awaitClosed();
  }

  @Test
  void bystanderLosesNothingWhileEveryHostileKindRuns() throws Exception {
    ChaosConfig config = new ChaosConfig(
        server.http().port(), 50, Duration.ofMillis(10), 200, 20, 0, 3, Duration.ofSeconds(4));
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    ScenarioResult result;
    try (ClientTransport transport = ClientTransport.create(1)) {
      RunContext context = TestContexts.of(transport, progress);
      result =
          new ChaosScenario(config).run(Target.parse("resp://127.0.0.1:" + server.port()), context);
    }

    Map<String, Double> m =
        result.metrics().stream().collect(Collectors.toMap(Metric::name, Metric::value));
    String log = progress.toString(StandardCharsets.UTF_8) + "\n" + m + "\n" + result.warnings();
    assertThat(m.get("bystander_published")).as(log).isPositive();
    assertThat(m.get("bystander_lost")).as(log).isZero();
    assertThat(m.get("bystander_out_of_order")).as(log).isZero();
    assertThat(m.get("bystander_disconnects")).as(log).isZero();
    assertThat(m.get("bystander_pings")).as(log).isPositive();
    assertThat(m).as(log).containsKey("bystander_ping_p99_ms").containsKey("worst_case_mb");
    assertThat(m.get("hostile_stalled_cut")).as(log).isEqualTo(1.0);
    assertThat(m.get("slowloris_closed")).as(log).isEqualTo(3.0);
    assertThat(m.get("malformed_attempts")).as(log).isPositive();
    assertThat(m.get("malformed_hung")).as(log).isZero();
    assertThat(m.get("flood_accepted") + m.get("flood_refused")).as(log).isPositive();
    assertThat(m.get("patterns_accepted") + m.get("patterns_refused")).as(log).isEqualTo(20.0);
    assertThat(m.get("flood_published")).as(log).isPositive();
  }
}
