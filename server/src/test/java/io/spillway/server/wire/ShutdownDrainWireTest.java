package io.spillway.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression for "SIGTERM lost publishes it had confirmed": a publisher pipelining PUBLISHes while the server shuts
 * down; every publish answered with a receiver count reaches every subscriber that keeps reading, RESP and WebSocket
 * alike, and WebSocket clients get close 1001.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownDrainWireTest {

  @Test
  void shutdownLosesNoPublishItConfirmedToSubscribersThatKeepReading() throws Exception {
    TestServer server = TestServer.start(b -> b.ioThreads(2));
    RawSubscriber resp = RawSubscriber.subscribe(server.port(), "drain");
    RawSubscriber resp2 = RawSubscriber.subscribe(server.port(), "drain");
    WsClient ws = WsClient.fast(server.server().http().port(), "channel=drain");
    await().atMost(Duration.ofSeconds(10)).until(() -> ws.texts().size() == 1);
    RawRespClient publisher = RawRespClient.connect(server.port(), Duration.ofSeconds(10));
    AtomicInteger confirmed = new AtomicInteger();
    Thread reader = new Thread(() -> {
      try {
        InputStream in = publisher.socket().getInputStream();
        // Each reply is ":3\r\n" (three subscribers); count whole replies until the server closes.
        int b;
        int colons = 0;
        int newlines = 0;
        while ((b = in.read()) >= 0) {
          if (b == ':') {
            colons++;
          } else if (b == '\n' && colons > newlines) {
            newlines++;
            confirmed.set(newlines);
          }
        }
      } catch (java.io.IOException closed) {
        // the server closed the connection
      }
    });
    reader.start();
    OutputStream out = publisher.socket().getOutputStream();
    for (int i = 0; i < 2_000; i++) {
      out.write(
          RawRespClient.multibulk("PUBLISH", "drain", "m" + i).getBytes(StandardCharsets.US_ASCII));
    }
    out.flush();
    await().atMost(Duration.ofSeconds(10)).until(() -> confirmed.get() > 100);
    server.close();
    reader.join(10_000);
    int n = confirmed.get();
    assertThat(n).isPositive();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> resp.closedByServer() && resp2.closedByServer());
    assertThat(resp.received())
        .as("RESP subscriber got every confirmed publish")
        .isGreaterThanOrEqualTo(n);
    assertThat(resp2.received()).isGreaterThanOrEqualTo(n);
    assertThat(ws.ended().get(10, TimeUnit.SECONDS)).startsWith("close 1001");
    assertThat(ws.messages().size())
        .as("WebSocket subscriber got every confirmed publish")
        .isGreaterThanOrEqualTo(n);
  }
}
