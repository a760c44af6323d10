package io.spillway.bench.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.bench.TestContexts;
import io.spillway.bench.endpoint.Target;
import io.spillway.bench.http.InProcessServers;
import io.spillway.bench.http.ServerLauncher;
import io.spillway.bench.report.Metric;
import io.spillway.bench.report.ScenarioResult;
import io.spillway.bench.run.ClientTransport;
import io.spillway.client.RetryBudget;
import io.spillway.server.config.HttpConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The retry storm against real in-process Spillway servers that accept 100 requests/s, offered 200 calls/s for
 * 3 s: naive immediate retries amplify the load at least 2×, the client with its default budget at most 1.2×
 * (10 % of calls plus the reserve of 2/s × 10 s: at most 1 + 0.1 + 20 / 600 = 1.13 here).
 */
class RetryStormEndToEndTest {

  private static final int LIMIT = 100;

  private static ServerLauncher inProcess() {
    return InProcessServers.launcher(
        mode -> HttpConfig.builder().port(0).rateLimit(LIMIT).rateBurst(LIMIT).build());
  }

  @Test
  void naiveRetriesAmplifyAtLeastTwofoldWhileTheDefaultBudgetHoldsAmplificationTo1Point2()
      throws Exception {
    RetryStormConfig config = new RetryStormConfig(
        List.of("naive", "budget"),
        2 * LIMIT,
        200,
        LIMIT,
        Duration.ofSeconds(3),
        3,
        RetryBudget.DEFAULT_MIN_RETRIES_PER_SECOND,
        Duration.ofSeconds(3),
        64,
        List.of(),
        List.of());
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    ScenarioResult result;
    try (ClientTransport transport = ClientTransport.create(1)) {
      result = new RetryStormScenario(config, inProcess())
          .run(Target.parse("resp://127.0.0.1:1"), TestContexts.of(transport, progress));
    }
    String log = progress.toString(StandardCharsets.UTF_8);
    assertThat(value(result, "naive_calls")).as(log).isGreaterThan(300);
    assertThat(value(result, "naive_amplification")).as(log).isGreaterThanOrEqualTo(2.0);
    assertThat(value(result, "budget_amplification"))
        .as(log)
        .isGreaterThanOrEqualTo(1.0)
        .isLessThanOrEqualTo(1.2);
    assertThat(value(result, "budget_goodput_per_s")).as(log).isPositive();
  }

  private static double value(ScenarioResult r, String name) {
    return r.metrics().stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .map(Metric::value)
        .orElseThrow(() -> new AssertionError("no metric " + name + " in " + r.metrics()));
  }
}
