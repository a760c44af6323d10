package io.spillway.server.backplane;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.spillway.server.config.BackplaneConfig;
import java.io.File;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The Lettuce settings the backplane's settings stand for. Stateless. */
final class LettuceOptions {

  /** How long a command may wait for Redis's answer before it fails. */
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
  /** How long opening a connection may take. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  private LettuceOptions() {}

  /** Two I/O threads and two computation threads (Lettuce's least), and reconnects with exponential backoff and full jitter. */
  static ClientResources resources(BackplaneConfig c) {
    return ClientResources.builder()
        .ioThreadPoolSize(2)
        .computationThreadPoolSize(2)
        .reconnectDelay(backoff(c))
        .build();
  }

  /**
   * Delays of min x 2^attempt, capped at max, each drawn at random between 0 and that (full jitter), so servers that
   * lost the same Redis do not come back all at once.
   */
  static Delay backoff(BackplaneConfig c) {
    return Delay.fullJitter(c.reconnectMin(), c.reconnectMax(), 2, TimeUnit.MILLISECONDS);
  }

  static RedisURI uri(BackplaneConfig c, BackplaneConfig.Address a) {
    RedisURI.Builder b = RedisURI.builder()
        .withHost(a.host())
        .withPort(a.port())
        .withSsl(c.tls())
        .withTimeout(COMMAND_TIMEOUT);
    if (!c.password().isEmpty()) {
      if (c.user().isEmpty()) {
        b.withPassword(c.password().toCharArray());
      } else {
        b.withAuthentication(c.user(), c.password().toCharArray());
      }
    }
    return b.build();
  }

  /**
   * Reconnect on loss; commands given while disconnected fail at once (they are counted as dropped, never buffered
   * without bound).
   */
  static ClientOptions client(BackplaneConfig c) {
    return ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder()
            .connectTimeout(CONNECT_TIMEOUT)
            .keepAlive(true)
            .build())
        .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
        .sslOptions(ssl(c))
        .build();
  }

  /** As {@link #client}, and the topology read again on MOVED/ASK and every 10 s (slot migrations). */
  static ClusterClientOptions cluster(BackplaneConfig c) {
    return ClusterClientOptions.builder(client(c))
        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
            .enableAllAdaptiveRefreshTriggers()
            .enablePeriodicRefresh(Duration.ofSeconds(10))
            .build())
        .build();
  }

  private static SslOptions ssl(BackplaneConfig c) {
    SslOptions.Builder b = SslOptions.builder().jdkSslProvider();
    if (!c.tlsCaCertFile().isEmpty()) {
      b.trustManager(new File(c.tlsCaCertFile()));
    }
    return b.build();
  }
}
