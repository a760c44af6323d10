package io.spillway.bench.slow;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.bench.RedisServerProcess;
import io.spillway.bench.TestContexts;
import io.spillway.bench.endpoint.Target;
import io.spillway.bench.report.Metric;
import io.spillway.bench.report.ScenarioResult;
import io.spillway.bench.run.ClientTransport;
import io.spillway.bench.run.RunContext;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scenario against a real redis-server started here, with Redis' pubsub output-buffer limit lowered to
 * 64kb/52kb/5s: one stalled reader, two fast subscribers. Whether redis cuts the reader is not asserted (that is
 * what the scenario compares); that the run completes and reports its figures is.
 */
class SlowConsumersRedisWireTest {

  private RedisServerProcess redis;
  private int port;

  @BeforeEach
  void startRedis() throws Exception {
    redis = RedisServerProcess.start("--client-output-buffer-limit", "pubsub 64kb 52kb 5");
    port = redis.port();
  }

  @AfterEach
  void stopRedis() {
    redis.close();
  }

  @Test
  void runCompletesBesideAStalledReaderAndReportsItsFigures() throws Exception {
    SlowConsumersConfig config =
        new SlowConsumersConfig(2, 1, 0, 4096, 1024, 2000, 64, Duration.ofSeconds(3));
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    ScenarioResult result;
    try (ClientTransport transport = ClientTransport.create(1)) {
      RunContext context = TestContexts.of(transport, progress);
      result =
          new SlowConsumersScenario(config).run(Target.parse("resp://127.0.0.1:" + port), context);
    }

    Map<String, Double> m =
        result.metrics().stream().collect(Collectors.toMap(Metric::name, Metric::value));
    assertThat(m)
        .containsKeys(
            "slow_cut_s_max",
            "slow_never_cut",
            "fast_lost",
            "fast_out_of_order",
            "fast_latency_p99_ms",
            "fast_latency_p99_ms_baseline",
            "fast_latency_p99_ms_with_slow");
    assertThat(m).doesNotContainKey("worst_case_mb"); // redis prints no outbox_worst_case_bytes
    assertThat(m.get("published")).isGreaterThan(1_000.0);
    assertThat(m.get("slow_cut_s_max")).isBetween(0.0, 3.5);
    assertThat(result.details().get("worst_case_mb")).isNull();
    assertThat((List<?>) result.details().get("slow_readers")).hasSize(1);
  }
}
