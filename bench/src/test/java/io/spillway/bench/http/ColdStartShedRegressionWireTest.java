package io.spillway.bench.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spillway.bench.TestContexts;
import io.spillway.bench.endpoint.Target;
import io.spillway.bench.report.ScenarioResult;
import io.spillway.bench.run.ClientTransport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression for issue 10's cold start: a freshly started server (its own JVM, the JIT cold), offered half of what
 * it serves warm from its first second, shed 4 032 requests in its first 3 s with admission on, while with admission
 * off the same cold server answered every one within the deadline. Here: a new server process per admission mode,
 * 2 000 publishes/s (half of 4 000, which a cold server on a busy CI machine serves in time) to 50 subscribers
 * through 512 connections, for 3 s from the moment its ports open, 1 s deadlines sent in
 * {@code X-Request-Timeout-Ms}. Where the cold server with
 * admission off answers all of them within the deadline, the one with admission on must refuse none (no 503, no
 * 429). On a machine too busy for even that (other builds on its cores), the claim does not apply and the test is
 * skipped, saying so with both runs' figures.
 */
class ColdStartShedRegressionWireTest {

  /** The server in a JVM of its own, with the launcher's heap settings, from this test's class path. */
  private static ProcessServerLauncher freshJvm() {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessServerLauncher(
        List.of(
            java,
            "-XX:+UseG1GC",
            "-Xms64m",
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            "io.spillway.server.cli.Main",
            "serve"),
        List.of());
  }

  /**
   * 2 000/s for 3 s (half of a capacity of 4 000) to 50 subscribers through 512 connections, in each of {@code modes}:
   * what a cold server on a busy 2-core CI machine serves in time with admission off, so that the claim is checked
   * there (at 5 000/s it was skipped in CI: the machine itself could not keep up).
   */
  private static HttpOverloadConfig halfLoad(List<String> modes) {
    return HttpOverloadConfig.builder()
        .modes(modes)
        .levels(List.of(0.5))
        .capacity(4_000)
        .subscribers(50)
        .connections(512)
        .warmup(Duration.ZERO)
        .duration(Duration.ofSeconds(3))
        .build();
  }

  private static ScenarioResult run(
      HttpOverloadConfig config, ClientTransport transport, ByteArrayOutputStream progress)
      throws Exception {
    return new HttpOverloadScenario(config, freshJvm())
        .run(Target.parse("resp://127.0.0.1:1"), TestContexts.of(transport, progress));
  }

  @Test
  @Timeout(180)
  void aFreshServerAtHalfLoadFromItsFirstSecondRefusesNothing() throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    ScenarioResult result;
    try (ClientTransport transport = ClientTransport.create(1)) {
      // The load generator's own warm-up, against a server of its own, discarded: this test's JVM
      // is as cold as the
      // server at first, and a cold load generator sent 995 of its first second's 2 000 requests in
      // CI, so the
      // admission-off run (the first) fell behind and the claim could not be checked.
      run(halfLoad(List.of("off")), transport, new ByteArrayOutputStream());
      result = run(halfLoad(List.of("off", "on")), transport, progress);
    }
    String log = progress.toString(StandardCharsets.UTF_8);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> levels =
        (List<Map<String, Object>>) result.details().get("levels");
    assertThat(levels).as(log).hasSize(2);
    Map<String, Object> off = levels.get(0);
    Map<String, Object> on = levels.get(1);
    assertThat(off.get("mode")).isEqualTo("off");
    assertThat((Long) on.get("scheduled")).as(log).isEqualTo(6_000L);
    assumeTrue(
        (Long) off.get("ok") == 6_000L,
        () ->
            "this machine could not serve 2 000/s within 1 s on a cold server even with admission off ("
                + off.get("ok") + " of 6 000 in time, " + off.get("late")
                + " late): the claim does not apply\n"
                + log);
    @SuppressWarnings("unchecked")
    Map<String, Object> byStatus = (Map<String, Object>) on.get("shed_by_status");
    assertThat(byStatus)
        .as("sheds by status, then reason %s%n%s", on.get("shed_by_reason"), log)
        .doesNotContainKeys("503", "429");
    assertThat((Long) on.get("errors")).as(log).isZero();
  }
}
