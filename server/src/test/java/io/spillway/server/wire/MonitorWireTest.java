package io.spillway.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spillway.core.outbox.DisconnectReason;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** MONITOR with a real redis-cli, and a monitor that stops reading, which the outbox policy cuts. */
class MonitorWireTest {

  @Test
  void redisCliMonitorSeesEveryCommandInRedisFormat() throws Exception {
    try (TestServer server = TestServer.start();
        RedisCli cli = new RedisCli(server.port());
        RawRespClient publisher = RawRespClient.connect(server.port())) {
      RedisCli.Running monitor = cli.start("MONITOR");
      await().atMost(Duration.ofSeconds(10)).until(() -> monitor.lines().contains("OK"));
      publisher.call("PUBLISH", "news", "hello \"world\"");
      publisher.call("AUTH", "secret");
      publisher.call("PING");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> monitor.lines().stream().anyMatch(l -> l.contains("PING")));
      assertThat(monitor.lines())
          .anySatisfy(l -> assertThat(l)
              .matches("\\d+\\.\\d{6} \\[0 127\\.0\\.0\\.1:\\d+\\] \"PUBLISH\" \"news\""
                  + " \"hello \\\\\"world\\\\\"\""))
          .noneSatisfy(l -> assertThat(l).contains("secret"));
    }
  }

  @Test
  void aMonitorThatStopsReadingIsCutNotBuffered() throws Exception {
    try (TestServer server = TestServer.start();
        Socket stalled = new Socket();
        RawRespClient publisher = RawRespClient.connect(server.port())) {
      stalled.setReceiveBufferSize(4096);
      stalled.connect(
          new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), server.port()), 5_000);
      OutputStream out = stalled.getOutputStream();
      out.write(RawRespClient.multibulk("MONITOR").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String payload = "p".repeat(1000);
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        for (int i = 0; i < 200; i++) {
          publisher.command("PUBLISH", "flood", payload);
        }
        for (int i = 0; i < 200; i++) {
          publisher.readReply();
        }
        return server.server().stats().cuts(DisconnectReason.BUFFER_OVERFLOW)
                + server.server().stats().cuts(DisconnectReason.WRITE_TIMEOUT)
            > 0;
      });
      assertThat(publisher.call("PING")).isEqualTo("+PONG\r\n");
    }
  }
}
