package io.spillway.server.wire;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.server.wire.RawSubscriber.Resp;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pipelined publishes to several channels and a pattern reach a subscriber in publish order, whichever event loop
 * it is on: the broker concatenates consecutive messages to one channel into chunks, and must never reorder them
 * against messages to other channels or pattern matches in between.
 */
@Timeout(value = 60, unit = SECONDS)
class FanoutOrderWireTest {

  @Test
  void interleavedChannelsAndPatternsArriveInPublishOrderOnEveryLoop() throws Exception {
    try (TestServer server = TestServer.start()) {
      List<Socket> subscribers = new ArrayList<>();
      List<InputStream> inputs = new ArrayList<>();
      for (int i = 0; i < 4; i++) { // round-robin over the loops: both loops get subscribers
        // The test reads subscribers only after the whole burst: their receive buffers hold it
        // (~300 KB), so that no
        // outbox ever passes its limit.
        Socket s = new Socket();
        s.setReceiveBufferSize(4 * 1024 * 1024);
        s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
        s.setSoTimeout(20_000);
        OutputStream out = s.getOutputStream();
        out.write(Resp.command("SUBSCRIBE", "a", "b"));
        out.write(Resp.command("PSUBSCRIBE", "x*"));
        InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
        for (int c = 0; c < 3; c++) {
          assertThat(Resp.readArray(in).get(0)).isIn("subscribe", "psubscribe");
        }
        subscribers.add(s);
        inputs.add(in);
      }
      String[] channels = {"a", "a", "a", "b", "xa", "a", "b", "b", "xb", "a"};
      int total = 2_000;
      List<List<String>> expected = new ArrayList<>();
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      for (int i = 0; i < total; i++) {
        String channel = channels[i % channels.length];
        String payload = "m" + i + "-" + "p".repeat(i % 200);
        burst.write(Resp.command("PUBLISH", channel, payload));
        expected.add(
            channel.startsWith("x")
                ? List.of("pmessage", "x*", channel, payload)
                : List.of("message", channel, payload));
      }
      try (Socket publisher = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
        publisher.getOutputStream().write(burst.toByteArray()); // one pipelined burst: chunks form
        InputStream replies = publisher.getInputStream();
        for (int i = 0; i < total; i++) {
          assertThat(Resp.readScalar(replies))
              .as("reply to PUBLISH %d (%s)", i, channels[i % channels.length])
              .isEqualTo(":4");
        }
      }
      for (int s = 0; s < subscribers.size(); s++) {
        for (int i = 0; i < total; i++) {
          assertThat(Resp.readArray(inputs.get(s)))
              .as("subscriber %d, message %d", s, i)
              .isEqualTo(expected.get(i));
        }
        subscribers.get(s).close();
      }
    }
  }
}
