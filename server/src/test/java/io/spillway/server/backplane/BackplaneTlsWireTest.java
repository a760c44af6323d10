package io.spillway.server.backplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spillway.server.SpillwayServer;
import io.spillway.server.config.BackplaneConfig;
import io.spillway.server.tls.SelfSignedCertificate;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The backplane over TLS: two servers share a channel through a redis-server that listens only for TLS on the port
 * they are given ({@code backplane-tls}, trusting the CA file); without the CA file the link stays down while local
 * traffic goes on.
 */
class BackplaneTlsWireTest {

  @TempDir
  Path dir;

  private static SpillwayServer node(int tlsPort, Path ca) throws Exception {
    BackplaneConfig.Builder backplane = BackplaneNodes.backplane(
            "redis://127.0.0.1:" + tlsPort, Duration.ofMillis(200))
        .tls(true);
    if (ca != null) {
      backplane.tlsCaCertFile(ca.toString());
    }
    return BackplaneNodes.start(backplane, 1, false);
  }

  @Test
  void serversShareAChannelThroughRedisOverTlsAndAnUntrustedCertificateLeavesTheLinkDown()
      throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    SelfSignedCertificate.write(cert, key);
    int tlsPort = RedisProcess.freePort();
    try (RedisProcess redis = RedisProcess.launch(
        "--tls-port",
        Integer.toString(tlsPort),
        "--tls-cert-file",
        cert.toString(),
        "--tls-key-file",
        key.toString(),
        "--tls-ca-cert-file",
        cert.toString(),
        "--tls-auth-clients",
        "no")) {
      SpillwayServer a = node(tlsPort, cert);
      SpillwayServer b = node(tlsPort, cert);
      SpillwayServer untrusting = node(tlsPort, null);
      try {
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() ->
                a.backplane().state().equals("up") && b.backplane().state().equals("up"));
        try (Recorder remote = Recorder.channels(b.port(), "tls");
            Recorder local = Recorder.channels(untrusting.port(), "tls");
            Jedis pub = new Jedis("127.0.0.1", a.port(), 5_000);
            Jedis pubLocal = new Jedis("127.0.0.1", untrusting.port(), 5_000)) {
          await().atMost(Duration.ofSeconds(20)).until(() -> {
            try (Jedis plain = redis.jedis()) {
              return plain.pubsubNumSub("tls").getOrDefault("tls", 0L) >= 1;
            }
          });
          pub.publish("tls", "through-redis");
          pubLocal.publish("tls", "local-only");
          await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> remote.messages().contains("tls|through-redis")
                  && local.messages().contains("tls|local-only"));
          assertThat(untrusting.backplane().state()).isNotEqualTo("up");
        }
      } finally {
        a.close();
        b.close();
        untrusting.close();
      }
    }
  }
}
