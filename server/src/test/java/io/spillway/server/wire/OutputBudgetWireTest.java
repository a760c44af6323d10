package io.spillway.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spillway.core.config.ByteSize;
import io.spillway.core.outbox.ChannelPolicy;
import io.spillway.core.outbox.DisconnectReason;
import io.spillway.core.outbox.OutboxLimits;
import io.spillway.core.outbox.OverflowStrategy;
import io.spillway.server.outbox.OutputBudget;
import io.spillway.server.wire.RawSubscriber.Resp;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server-wide output budget (max-output-memory) with stalled subscribers whose caps add up to more than it: what
 * the outboxes hold never exceeds the budget (sampled all through the run), lossy channels' queued messages go
 * first, then the largest consumer is cut ({@code output_budget}), and a subscriber that reads loses nothing.
 */
class OutputBudgetWireTest {

  private static final long BUDGET = 512 * 1024;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private TestServer server;
  private final List<Socket> sockets = new ArrayList<>();
  private final AtomicLong worstUsed = new AtomicLong();
  private final AtomicLong worstQueued = new AtomicLong();
  private volatile boolean sampling = true;
  private Thread sampler;
  private final LogCapture log = LogCapture.cuts();

  private static OutboxLimits limits(int hardKib, int softKib) {
    return OutboxLimits.builder()
        .hardLimit(ByteSize.ofKibibytes(hardKib))
        .softLimit(ByteSize.ofKibibytes(softKib))
        .softWindow(Duration.ofSeconds(60))
        .writeTimeout(Duration.ofSeconds(60))
        .build();
  }

  /** One loop, so that "the largest on the loop" is the largest of all. */
  private void start(List<ChannelPolicy> policies, OutboxLimits limits) {
    server = TestServer.start(b -> b.ioThreads(1)
        .subscriberLimits(limits)
        .maxOutputMemory(ByteSize.ofBytes(BUDGET))
        .socketSendBuffer(ByteSize.ofKibibytes(8))
        .channelPolicies(policies));
    OutputBudget budget = server.server().outputBudget();
    sampler = new Thread(() -> {
      // What the server charges, read in-process, and what its outboxes hold, as INFO shows it.
      try (RawRespClient info = RawRespClient.connect(server.port())) {
        while (sampling) {
          worstUsed.accumulateAndGet(budget.used(), Math::max);
          worstQueued.accumulateAndGet(
              field(info.call("INFO", "memory"), "outbox_queued_bytes"), Math::max);
        }
      } catch (IOException e) {
        worstQueued.set(Long.MAX_VALUE);
      }
    });
    sampler.setDaemon(true);
    sampler.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    log.close();
    sampling = false;
    if (sampler != null) {
      sampler.join(5_000);
    }
    for (Socket s : sockets) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void stalledClientsNeverTakeTheServerPastItsOutputBudgetAndTheLargestGoesFirst()
      throws Exception {
    // Caps of 256 KiB: eight stalled subscribers could hold 2 MiB, four times the budget.
    start(List.of(), limits(256, 200));
    // The largest: stalled, and 120 KiB behind on a channel of its own before the others start.
    Socket largest = stalled("big", "shared");
    try (RawRespClient pub = RawRespClient.connect(server.port())) {
      publish(pub, "big", 120);
      for (int i = 0; i < 7; i++) {
        stalled("shared");
      }
      try (RawSubscriber reader = RawSubscriber.subscribe(server.port(), "shared")) {
        publish(pub, "shared", 100);
        await().atMost(WAIT).until(() -> reader.received() == 100);
        assertThat(reader.closedByServer())
            .as("the subscriber that reads is never cut")
            .isFalse();
      }
      long cuts = server.server().stats().cuts(DisconnectReason.OUTPUT_BUDGET);
      assertThat(cuts).as("some stalled subscribers had to go").isPositive();
      assertThat(server.server().stats().totalCuts()).isEqualTo(cuts);
      assertThat(closed(largest)).as("the largest consumer was cut").isTrue();
      assertThat(log.messages())
          .filteredOn(m -> m.contains("output_budget"))
          .first()
          .as("the largest consumer (the one subscribed to two channels) went first")
          .asString()
          .contains("subs=2");
    }
    assertThat(worstUsed.get()).as("charged to the budget").isLessThanOrEqualTo(BUDGET);
    assertThat(worstQueued.get()).as("held by the outboxes").isLessThanOrEqualTo(BUDGET);
  }

  @Test
  void lossyChannelsShedBeforeAnyoneIsCut() throws Exception {
    // The default caps (64 KiB): what Netty holds of each (about two 16 KiB writes) cannot be shed,
    // what waits in the outbox can.
    start(
        List.of(ChannelPolicy.of("ticks", OverflowStrategy.DROP_OLDEST, Duration.ofSeconds(5))),
        limits(64, 52));
    try (RawRespClient pub = RawRespClient.connect(server.port())) {
      for (int i = 0; i < 16; i++) {
        stalled("ticks");
      }
      publish(pub, "ticks", 60); // 16 x ~60 KiB of lossy messages: more than the budget
      for (int i = 0; i < 2; i++) {
        stalled("orders");
      }
      publish(pub, "orders", 30); // 60 KiB more that must be kept
      assertThat(server.server().stats().dropped(OverflowStrategy.DROP_OLDEST))
          .as("lossy messages made room")
          .isPositive();
      assertThat(server.server().stats().totalCuts())
          .as("nobody was cut while lossy messages could go")
          .isZero();
    }
    assertThat(worstUsed.get()).isLessThanOrEqualTo(BUDGET);
    assertThat(worstQueued.get()).isLessThanOrEqualTo(BUDGET);
  }

  private static long field(String info, String name) {
    for (String line : info.lines().toList()) {
      if (line.startsWith(name + ":")) {
        return Long.parseLong(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError(name + " not in INFO: " + info);
  }

  /** Publishes {@code n} messages of 1 KiB, each answered before the next. */
  private static void publish(RawRespClient pub, String channel, int n) throws IOException {
    String payload = "x".repeat(1024);
    for (int i = 0; i < n; i++) {
      pub.call("PUBLISH", channel, payload);
    }
  }

  /** A subscriber that reads its confirmations and then nothing, with small socket buffers. */
  private Socket stalled(String... channels) throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5_000);
    s.setSoTimeout(10_000);
    sockets.add(s);
    s.getOutputStream().write(Resp.command(prepend("SUBSCRIBE", channels)));
    s.getOutputStream().flush();
    for (int i = 0; i < channels.length; i++) {
      assertThat(Resp.readArray(s.getInputStream())).startsWith("subscribe");
    }
    return s;
  }

  private static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  /** Whether the server has closed {@code s} (reading through what it had sent). */
  private static boolean closed(Socket s) throws IOException {
    try {
      s.setSoTimeout(5_000);
      InputStream in = s.getInputStream();
      byte[] buf = new byte[64 * 1024];
      while (in.read(buf) >= 0) {
        // drain
      }
      return true;
    } catch (java.net.SocketTimeoutException open) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
