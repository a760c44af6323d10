package io.spillway.bench.slow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.bench.TestContexts;
import io.spillway.bench.endpoint.Target;
import io.spillway.bench.report.Metric;
import io.spillway.bench.report.ScenarioResult;
import io.spillway.bench.run.BenchException;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code slow-consumers --channel-policy ...} against a real in-process Spillway started with the channel policies
 * the bench asks for: one slow reader at 5 KB/s beside three fast subscribers, 500 messages of 512 B a second,
 * half a second of baseline and 1.5 s with the slow reader per strategy (small: the test JVM runs Netty's paranoid
 * leak detection, and on a busy machine "fast" subscribers that fall 64 KiB behind lose messages too). What each strategy promises must show in the figures: a lossy one loses for the slow reader exactly
 * what its gap notices say (and what the server counted), never for the fast ones; block loses nothing and paces
 * the publisher to the slow reader; disconnect cuts the slow reader.
 */
class SlowConsumersStrategiesWireTest {

  private static final long RATE = 500;

  private SpillwayServer server;

  @AfterEach
  void stopServer() throws InterruptedException {
    if (server != null) {
      server.close();
      server.awaitClosed();
    }
  }

  @Test
  @Timeout(90)
  void dropNewestLosesExactlyWhatItsGapNoticesSayAndTheFastSubscribersNothing() throws Exception {
    assertLossMatchesNotices(List.of("drop-newest"));
  }

  /*
   * Regression: on the server of commit 44244e2 a slow reader of a drop-oldest or conflate channel that subscribes to
   * __spillway__:notices was at times cut (buffer_overflow) within a second, so the gap notices for what the server
   * dropped never reached it: notice frames handed to Netty counted in the queued bytes the hard limit is checked
   * against, and each loss after a notice was handed over opened a new notice (CLIENT LIST oll=236). And conflate
   * dropped messages of fast subscribers that got two runs of the channel in one turn of the loop.
   */
  @Test
  @Timeout(90)
  void dropOldestAndConflateLoseExactlyWhatTheirGapNoticesSayAndTheFastSubscribersNothing()
      throws Exception {
    assertLossMatchesNotices(List.of("drop-oldest", "conflate"));
  }

  private void assertLossMatchesNotices(List<String> lossy) throws Exception {
    StrategyChannels strategies = StrategyChannels.parse(lossy);
    startServer(strategies);

    Run run = run(strategies);

    for (String s : lossy.stream().map(l -> l.replace('-', '_')).toList()) {
      assertThat(run.metrics.get(s + "_slow_lost")).as(s + "\n" + run.log).isPositive();
      assertThat(run.metrics.get(s + "_slow_noticed_lost"))
          .as(s + "\n" + run.log)
          .isEqualTo(run.metrics.get(s + "_slow_lost"));
      assertThat(run.metrics.get(s + "_server_dropped"))
          .as(s + "\n" + run.log)
          .isEqualTo(run.metrics.get(s + "_slow_lost"));
      assertThat(run.metrics.get(s + "_fast_lost")).as(s + "\n" + run.log).isZero();
      assertThat(run.metrics.get(s + "_slow_cut")).as(s + "\n" + run.log).isZero();
    }
    assertThat(run.result.warnings()).as(run.log).noneMatch(w -> w.contains("gap notices say"));
    List<?> table = (List<?>) run.result.details().get("table");
    assertThat(table).hasSize(lossy.size() + 1);
  }

  @Test
  @Timeout(90)
  void blockPacesThePublisherWithoutLossAndDisconnectCutsTheSlowReader() throws Exception {
    StrategyChannels strategies =
        StrategyChannels.parse(List.of("block,max-block=30s", "disconnect"));
    startServer(strategies);

    Run run = run(strategies);

    Map<String, Double> m = run.metrics;
    assertThat(m.get("block_slow_lost")).as(run.log).isZero();
    assertThat(m.get("block_slow_noticed_lost")).as(run.log).isZero();
    assertThat(m.get("block_fast_lost")).as(run.log).isZero();
    assertThat(m.get("block_slow_cut")).as(run.log).isZero();
    // Paced: a third of the slow phase's messages were due while the publisher was held back, never
    // sent; the
    // kernel's socket buffers take the first ones, so the rate over the whole phase drops less than
    // that.
    assertThat(m.get("block_publish_unsent")).as(run.log).isGreaterThan(RATE * 1.5 / 3);
    assertThat(m.get("block_published_per_s_with_slow")).as(run.log).isLessThan(RATE * 0.75);
    assertThat(m.get("disconnect_publish_unsent")).as(run.log).isZero();
    assertThat(m.get("disconnect_published_per_s_with_slow")).as(run.log).isGreaterThan(RATE * 0.9);
    assertThat(m.get("disconnect_slow_cut")).as(run.log).isEqualTo(1.0);
    assertThat(m.get("disconnect_fast_lost")).as(run.log).isZero();
    assertThat(m.get("disconnect_slow_lost")).as(run.log).isZero();
    @SuppressWarnings("unchecked")
    Map<String, Object> disconnect = (Map<String, Object>)
        ((Map<String, Object>) run.result.details().get("strategies")).get("disconnect");
    assertThat(((StrategyOutcome) disconnect.get("strategy")).cutReasons())
        .as(run.log)
        .contains("buffer_overflow");
  }

  @Test
  void refusesAServerWithoutTheChannelPoliciesAndNamesTheFlags() throws Exception {
    startServer(StrategyChannels.parse(List.of()));
    StrategyChannels strategies = StrategyChannels.parse(List.of("conflate"));

    assertThatThrownBy(() -> run(strategies))
        .isInstanceOf(BenchException.class)
        .hasMessageContaining("gets disconnect")
        .hasMessageContaining("--channel-policies 'slow.conflate.*=conflate'");
  }

  private void startServer(StrategyChannels strategies) throws InterruptedException {
    server = SpillwayServer.start(ServerConfig.builder()
        .bind("127.0.0.1")
        .port(0)
        .http(HttpConfig.builder().port(-1).build())
        .channelPolicies(strategies.policies())
        .build());
  }

  private Run run(StrategyChannels strategies) throws Exception {
    SlowConsumersConfig config = new SlowConsumersConfig(
        3,
        1,
        5_000,
        4096,
        512,
        RATE,
        256,
        Duration.ofMillis(1500),
        strategies,
        Duration.ofMillis(500));
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    try (ClientTransport transport = ClientTransport.create(2)) {
      RunContext context = TestContexts.of(transport, progress);
      ScenarioResult result = new SlowConsumersScenario(config)
          .run(Target.parse("resp://127.0.0.1:" + server.port()), context);
      return new Run(
          result,
          result.metrics().stream().collect(Collectors.toMap(Metric::name, Metric::value)),
          progress.toString(StandardCharsets.UTF_8) + "\nwarnings: " + result.warnings());
    }
  }

  private record Run(ScenarioResult result, Map<String, Double> metrics, String log) {}
}
