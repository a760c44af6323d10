package io.spillway.server.backplane;

import io.spillway.server.SpillwayServer;
import io.spillway.server.config.BackplaneConfig;
import io.spillway.server.config.HttpConfig;
import io.spillway.server.config.ServerConfig;
import java.time.Duration;

/** Spillway servers with a backplane, on free loopback ports, for the backplane wire tests. */
final class BackplaneNodes {

  private BackplaneNodes() {}

  /** A backplane to {@code uri} that reconnects fast: from 20 ms, at most every {@code reconnectMax}. */
  static BackplaneConfig.Builder backplane(String uri, Duration reconnectMax) {
    return BackplaneConfig.builder()
        .uri(uri)
        .reconnectMin(Duration.ofMillis(20))
        .reconnectMax(reconnectMax);
  }

  /** A server with {@code ioThreads} loops, its HTTP port on a free one when {@code http} (else off). */
  static SpillwayServer start(BackplaneConfig.Builder backplane, int ioThreads, boolean http)
      throws InterruptedException {
    return SpillwayServer.start(ServerConfig.builder()
        .port(0)
        .ioThreads(ioThreads)
        .http(HttpConfig.builder().port(http ? 0 : -1).build())
        .backplane(backplane.build())
        .build());
  }
}
