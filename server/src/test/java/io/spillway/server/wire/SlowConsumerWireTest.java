package io.spillway.server.wire;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.spillway.server.config.KernelShare;
import io.spillway.server.wire.RawSubscriber.Resp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The seeds' scenarios over real sockets with the default policy: a slow reader beside fast subscribers, and a
 * flood with stalled subscribers.
 */
@Timeout(value = 90, unit = SECONDS)
class SlowConsumerWireTest {

  private static final int PAYLOAD = 1024;

  /**
   * Seed 000: a publisher sends 1 KiB every 100 ms; 20 fast subscribers; one subscriber with a 4 KiB receive buffer
   * reads 1 byte per second. The slow one is cut within 10 s of the first publish, with its reason logged; every fast
   * one receives every message, in order.
   */
  @Test
  void seedScenarioCutsTheSlowReaderWithinTenSecondsWhileFastSubscribersGetEveryMessageInOrder()
      throws Exception {
    try (TestServer server = TestServer.start();
        LogCapture cuts = LogCapture.cuts()) {
      List<RawSubscriber> fast = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        fast.add(RawSubscriber.subscribe(server.port(), "feed"));
      }
      Socket slow = new Socket();
      slow.setReceiveBufferSize(4096);
      slow.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
      slow.getOutputStream().write(Resp.command("SUBSCRIBE", "feed"));
      InputStream slowIn = slow.getInputStream();
      assertThat(Resp.readArray(slowIn)).containsExactly("subscribe", "feed", ":1");
      AtomicLong slowEofAt = new AtomicLong();
      Thread slowReader = new Thread(() -> readOneBytePerSecond(slowIn, slowEofAt), "slow-reader");
      slowReader.setDaemon(true);
      slowReader.start();

      try (Socket publisher = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
        OutputStream out = publisher.getOutputStream();
        InputStream in = publisher.getInputStream();
        awaitSubscribers(out, in, "feed", 21);
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger published = new AtomicInteger();
        long firstPublishMillis = System.currentTimeMillis();
        clock.scheduleAtFixedRate(
            () -> publish(out, in, "feed", published), 0, 100, TimeUnit.MILLISECONDS);

        await().atMost(Duration.ofSeconds(15)).until(() -> !cuts.events().isEmpty());
        ILoggingEvent cut = cuts.events().get(0);
        long cutAfterMillis = cut.getTimeStamp() - firstPublishMillis;
        // The server has let go of the slow client: its connection and every byte queued for it are
        // gone.
        await().atMost(Duration.ofSeconds(2)).until(() -> server.server().connectedClients() == 21);
        // Keep publishing a little after the cut: the fast subscribers must not notice it.
        Thread.sleep(1_000);
        clock.shutdown();
        assertThat(clock.awaitTermination(5, SECONDS)).isTrue();

        int total = published.get();
        System.out.printf(
            "seed scenario: slow reader cut %d ms after the first publish: %s%n",
            cutAfterMillis, cut.getFormattedMessage());
        assertThat(cutAfterMillis).isLessThanOrEqualTo(10_000);
        assertThat(cut.getFormattedMessage())
            .containsPattern("client id=\\d+ addr=127\\.0\\.0\\.1:\\d+ .* disconnected: "
                + "(buffer_overflow|slow_reader_sustained|write_timeout) queued=\\d+");
        assertThat(cuts.events()).hasSize(1);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> fast.stream().allMatch(s -> s.received() >= total));
        List<String> expected = expectedPayloads(total);
        for (RawSubscriber s : fast) {
          assertThat(s.closedByServer()).isFalse();
          assertThat(s.payloads()).isEqualTo(expected);
          s.close();
        }
      } finally {
        slow.close();
      }
    }
  }

  /**
   * A flood with 5 subscribers that never read: all are cut, the fast subscribers lose nothing, and the server's
   * queued bytes and pooled memory stay within the worst case it printed at start-up.
   */
  @Test
  void floodCutsEveryStalledSubscriberWhileFastOnesLoseNothingAndMemoryStaysBounded()
      throws Exception {
    try (TestServer server = TestServer.start();
        LogCapture cuts = LogCapture.cuts()) {
      List<Socket> stalled = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
        s.getOutputStream().write(Resp.command("SUBSCRIBE", "flood"));
        stalled.add(s);
      }
      List<RawSubscriber> fast = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        fast.add(RawSubscriber.subscribe(server.port(), "flood"));
      }
      AtomicLong maxQueued = new AtomicLong();
      AtomicLong maxDirect = new AtomicLong();
      ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
      sampler.scheduleAtFixedRate(
          () -> {
            maxQueued.accumulateAndGet(server.server().queuedBytes(), Math::max);
            maxDirect.accumulateAndGet(
                ((ByteBufAllocatorMetricProvider) PooledByteBufAllocator.DEFAULT)
                    .metric()
                    .usedDirectMemory(),
                Math::max);
          },
          0,
          5,
          TimeUnit.MILLISECONDS);

      int total;
      long startMillis;
      try (Socket publisher = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
        OutputStream out = publisher.getOutputStream();
        InputStream in = publisher.getInputStream();
        awaitSubscribers(out, in, "flood", 10);
        startMillis = System.currentTimeMillis();
        total = floodPipelined(out, in, "flood", 20_000, 32, Duration.ofSeconds(5));
      }
      await().atMost(Duration.ofSeconds(15)).until(() -> cuts.events().size() >= 5);
      long lastCutMillis = cuts.events().get(4).getTimeStamp() - startMillis;
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> fast.stream().allMatch(s -> s.received() >= total));
      sampler.shutdown();
      assertThat(sampler.awaitTermination(5, SECONDS)).isTrue();

      long worstCase = KernelShare.of(server.server().config())
          .stalledWorstCase(server.server().config());
      System.out.printf(
          "flood: %d messages; 5 stalled cut, the last %d ms after the flood began; peak queued %d bytes;"
              + " peak pooled direct memory %d bytes; printed worst case %d bytes; cuts: %s%n",
          total, lastCutMillis, maxQueued.get(), maxDirect.get(), worstCase, cuts.messages());
      assertThat(cuts.events()).hasSize(5);
      assertThat(server.server().stats().totalCuts()).isEqualTo(5);
      List<String> expected = expectedPayloads(total);
      for (RawSubscriber s : fast) {
        assertThat(s.closedByServer()).isFalse();
        assertThat(s.payloads()).isEqualTo(expected);
        s.close();
      }
      // Ten clients can hold at most ten times a client's share; the whole server stays within what
      // it printed.
      long perClient = server.server().config().subscriberLimits().hardLimit().toBytes();
      assertThat(maxQueued.get()).isLessThanOrEqualTo(10 * perClient);
      assertThat(maxDirect.get()).isLessThanOrEqualTo(worstCase);
      for (Socket s : stalled) {
        s.close();
      }
    }
  }

  static void readOneBytePerSecond(InputStream in, AtomicLong eofAt) {
    try {
      for (; ; ) {
        if (in.read() < 0) {
          break;
        }
        Thread.sleep(1_000); // the scenario's reading rate
      }
    } catch (IOException | InterruptedException e) {
      // reset by the server's abortive close
    }
    eofAt.set(System.nanoTime());
  }

  static void awaitSubscribers(OutputStream out, InputStream in, String channel, int n) {
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      out.write(Resp.command("PUBSUB", "NUMSUB", channel));
      return Resp.readArray(in).get(1).equals(":" + n);
    });
  }

  private static void publish(
      OutputStream out, InputStream in, String channel, AtomicInteger published) {
    try {
      out.write(Resp.command("PUBLISH", channel, payload(published.get())));
      out.flush();
      Resp.readScalar(in);
      published.incrementAndGet();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Publishes up to {@code max} messages, {@code window} in flight, for at most {@code limit}; returns the count. */
  static int floodPipelined(
      OutputStream out, InputStream in, String channel, int max, int window, Duration limit)
      throws IOException {
    long deadline = System.nanoTime() + limit.toNanos();
    int sent = 0;
    java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream();
    while (sent < max && System.nanoTime() < deadline) {
      int n = Math.min(window, max - sent);
      batch.reset();
      for (int i = 0; i < n; i++) {
        batch.write(Resp.command("PUBLISH", channel, payload(sent + i)));
      }
      out.write(batch.toByteArray());
      out.flush();
      for (int i = 0; i < n; i++) {
        String reply = Resp.readScalar(in);
        if (!reply.startsWith(":")) {
          throw new IOException("PUBLISH failed: " + reply);
        }
      }
      sent += n;
    }
    return sent;
  }

  static String payload(int seq) {
    char[] pad = new char[PAYLOAD];
    Arrays.fill(pad, '.');
    String head = "seq=" + seq + ";";
    head.getChars(0, head.length(), pad, 0);
    return new String(pad);
  }

  static List<String> expectedPayloads(int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(payload(i));
    }
    return out;
  }
}
