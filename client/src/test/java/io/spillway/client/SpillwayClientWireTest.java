package io.spillway.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.server.SpillwayServer;
import io.spillway.server.config.HttpConfig;
import io.spillway.server.config.ServerConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against a real in-process Spillway. */
class SpillwayClientWireTest {

  private SpillwayServer server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.close();
      server.awaitClosed();
    }
  }

  @Test
  void publishesToARealSpillwayAndReadsTheReceivers() throws Exception {
    server = SpillwayServer.start(ServerConfig.builder()
        .bind("127.0.0.1")
        .port(0)
        .http(HttpConfig.builder().port(0).build())
        .build());
    SpillwayClient client = SpillwayClient.builder(
            URI.create("http://127.0.0.1:" + server.http().port()))
        .build();
    assertThat(client.publish("news", "hello".getBytes(StandardCharsets.UTF_8))).isZero();
    assertThat(client
            .publishAsync("news", "again".getBytes(StandardCharsets.UTF_8))
            .get())
        .isZero();
  }

  @Test
  void aRateLimitedClientGetsARetryableShedWithTheServersRetryAfter() throws Exception {
    server = SpillwayServer.start(ServerConfig.builder()
        .bind("127.0.0.1")
        .port(0)
        .http(HttpConfig.builder().port(0).rateLimit(1).rateBurst(1).build())
        .build());
    SpillwayClient client = SpillwayClient.builder(
            URI.create("http://127.0.0.1:" + server.http().port()))
        .maxAttempts(1)
        .build();
    client.publish("c", new byte[] {1});
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.publish("c", new byte[] {1}))
        .isInstanceOfSatisfying(ShedException.class, e -> {
          assertThat(e.status()).isEqualTo(429);
          assertThat(e.reason()).isEqualTo("rate_limited");
          assertThat(e.retryAfterSeconds()).isPositive();
        });
  }
}
