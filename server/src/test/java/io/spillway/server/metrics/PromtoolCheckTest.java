package io.spillway.server.metrics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.spillway.core.outbox.DisconnectReason;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Prometheus's own linter, {@code promtool check metrics}, accepts the scrape with every kind of metric populated.
 * promtool comes from Debian's {@code prometheus} package ({@code ./spillway test} installs it); without it this test
 * fails, it never skips.
 */
class PromtoolCheckTest {

  private final ServerParts parts = new ServerParts();

  @AfterEach
  void releaseChannels() {
    parts.close();
  }

  @Test
  void promtoolFindsNoProblemInTheScrape() throws Exception {
    FakeAdmissionView admission = new FakeAdmissionView();
    admission.shed("codel", 3);
    admission.drainRatePerSecond = 12.5;
    SpillwayMetrics metrics = parts.metrics(admission);
    metrics.observeRequest("/v1/publish/{channel}", 200, 1_500_000, true);
    metrics.observeRequest("/v1/publish/{channel}", 429, 10_000, false);
    metrics.observeRequest("/v1/\"quoted\"\\path", 500, 2_000_000_000L, true);
    metrics.httpConnectionOpened();
    parts.stats.clientCut(DisconnectReason.BUFFER_OVERFLOW);
    parts.client(3, 512);
    byte[] scrape = metrics.scrape();

    Process promtool;
    try {
      promtool = new ProcessBuilder("promtool", "check", "metrics")
          .redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      fail(
          "promtool is not installed (Debian package 'prometheus': apt-get install prometheus, or run ./spillway"
              + " test, which installs it): " + e.getMessage());
      return;
    }
    try (OutputStream stdin = promtool.getOutputStream()) {
      stdin.write(scrape);
    }
    String output = new String(promtool.getInputStream().readAllBytes(), UTF_8);
    assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    assertThat(promtool.exitValue())
        .as(
            "promtool check metrics said:\n%s\non the scrape:\n%s",
            output, new String(scrape, UTF_8))
        .isZero();
  }
}
