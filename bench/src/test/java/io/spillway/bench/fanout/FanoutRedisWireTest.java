package io.spillway.bench.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.bench.RedisServerProcess;
import io.spillway.bench.TestContexts;
import io.spillway.bench.endpoint.Target;
import io.spillway.bench.report.Metric;
import io.spillway.bench.report.ScenarioResult;
import io.spillway.bench.run.ClientTransport;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fan-out scenario at small scale against a real redis-server: the same code path as against Spillway, so the
 * side-by-side figures compare servers and not clients.
 */
class FanoutRedisWireTest {

  private RedisServerProcess redis;

  @BeforeEach
  void startRedis() throws Exception {
    redis = RedisServerProcess.start();
  }

  @AfterEach
  void stopRedis() {
    redis.close();
  }

  @Test
  void everySubscriberGetsEveryMessageInOrderFromRedis() throws Exception {
    FanoutConfig config = FanoutConfig.builder()
        .publishers(1)
        .subscribers(5)
        .channels(1)
        .payloadBytes(256)
        .rate(500)
        .warmup(Duration.ofMillis(500))
        .duration(Duration.ofSeconds(1))
        .build();
    ScenarioResult result;
    try (ClientTransport transport = ClientTransport.create(1)) {
      result = new FanoutScenario(config)
          .run(
              Target.parse("resp://127.0.0.1:" + redis.port()),
              TestContexts.of(transport, new ByteArrayOutputStream()));
    }

    Map<String, Double> m =
        result.metrics().stream().collect(Collectors.toMap(Metric::name, Metric::value));
    assertThat(m.get("published")).isGreaterThan(300.0);
    assertThat(m.get("lost")).isZero();
    assertThat(m.get("out_of_order")).isZero();
    assertThat(m.get("missing_seq")).isZero();
    assertThat(m.get("receiver_mismatches"))
        .as("redis reports 5 receivers for every PUBLISH")
        .isZero();
    assertThat(m.get("delivered")).isEqualTo(m.get("expected_deliveries"));
  }
}
