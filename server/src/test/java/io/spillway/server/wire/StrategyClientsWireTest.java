package io.spillway.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spillway.core.outbox.ChannelPolicy;
import io.spillway.core.outbox.OverflowStrategy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Each overflow strategy as real third-party clients meet it: a Jedis subscriber (and, for the lossy strategies, a
 * WebSocket subscriber on the JDK's client) that stops reading while a publisher sends {@value #MESSAGES} messages,
 * then reads everything. It gets the messages in order, its own notices in band, and the gap notices account for
 * exactly what it lost: for {@code block}, nothing.
 */
class StrategyClientsWireTest {

  private static final int MESSAGES = 400;
  /** The JDK's WebSocket client reads ahead of what it hands over: more for it to fall behind. */
  private static final int WS_MESSAGES = 20_000;

  private static final String PAD = "x".repeat(1000);
  private static final Pattern LOST = Pattern.compile("\"lost\":(\\d+)");
  private static final Duration WAIT = Duration.ofSeconds(30);

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = OverflowStrategy.class,
      names = {"DROP_OLDEST", "DROP_NEWEST", "CONFLATE", "BLOCK"})
  void aJedisSubscriberGetsItsMessagesInOrderAndNoticesThatAccountForEveryLoss(
      OverflowStrategy strategy) throws Exception {
    try (TestServer server = start(strategy)) {
      Collector sub = new Collector();
      CountDownLatch stalled = new CountDownLatch(1);
      sub.holdFirst = stalled;
      Jedis subscriber = new Jedis(
          new SmallBufferSockets(server.port()),
          DefaultJedisClientConfig.builder().build());
      Thread reader = new Thread(
          () -> {
            try {
              subscriber.subscribe(sub, "feed", "__spillway__:notices");
            } catch (JedisConnectionException closed) {
              // the test closes it
            }
          },
          "jedis-subscriber");
      reader.setDaemon(true);
      reader.start();
      await().atMost(WAIT).until(() -> sub.subscriptions == 2);
      Thread publisher = new Thread(
          () -> {
            try (Jedis pub = new Jedis("127.0.0.1", server.port(), 20_000)) {
              for (int i = 0; i < MESSAGES; i++) {
                pub.publish("feed", i + ":" + PAD);
              }
            }
          },
          "jedis-publisher");
      publisher.start();
      if (strategy == OverflowStrategy.BLOCK) {
        // The publisher is held back by the stalled subscriber: let the subscriber read again.
        await().atMost(WAIT).until(() -> server.server().stats().blockPauses().episodes() > 0);
      } else {
        publisher.join(TimeUnit.SECONDS.toMillis(30));
      }
      stalled.countDown();
      publisher.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(publisher.isAlive()).isFalse();
      await()
          .atMost(WAIT)
          .until(() -> sub.lastSeq() == MESSAGES - 1 || sub.received() + sub.lost() >= MESSAGES);
      sub.unsubscribe();
      subscriber.close();

      assertThat(sub.sequence()).as("publish order").isSorted().doesNotHaveDuplicates();
      assertThat(sub.received() + sub.lost())
          .as("every message received or told lost")
          .isEqualTo(MESSAGES);
      assertThat(sub.lost()).isEqualTo(server.server().stats().dropped(strategy));
      assertThat(server.server().stats().totalCuts()).isZero();
      switch (strategy) {
        case BLOCK -> assertThat(sub.lost()).as("block loses nothing").isZero();
        case DROP_NEWEST -> assertThat(sub.sequence()).as("the oldest survive").startsWith(0, 1, 2);
        default -> assertThat(sub.sequence()).contains(MESSAGES - 1);
      }
      if (strategy != OverflowStrategy.BLOCK) {
        assertThat(sub.lost()).as("a stalled subscriber lost some").isPositive();
        assertThat(sub.notices).anySatisfy(n -> assertThat(n).contains("\"type\":\"gap\""));
      }
      if (strategy
          != OverflowStrategy.CONFLATE) { // conflate keeps one message: never near the soft limit
        assertThat(sub.notices)
            .as("warned when it reached its soft limit")
            .anySatisfy(n -> assertThat(n).contains("\"type\":\"warning\""));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = OverflowStrategy.class,
      names = {"DROP_OLDEST", "DROP_NEWEST", "CONFLATE"})
  void aWebSocketSubscriberGetsGapNoticesAsJsonFrames(OverflowStrategy strategy) throws Exception {
    try (TestServer server = start(strategy);
        WsClient slow = WsClient.slow(
            server.server().http().port(), "channel=feed&channel=__spillway__:notices", 8192);
        Jedis pub = new Jedis("127.0.0.1", server.port(), 20_000)) {
      await().atMost(WAIT).until(() -> slow.texts().size() >= 1);
      // The JDK client reads ahead of what it hands over (megabytes): publish until the server
      // drops.
      int published = 0;
      while (server.server().stats().dropped(strategy) == 0 && published < WS_MESSAGES) {
        pub.publish("feed", published++ + ":" + PAD);
      }
      for (int i = 0; i < 100; i++) {
        pub.publish("feed", published++ + ":" + PAD);
      }
      int total = published;
      slow.readEverything();
      await().atMost(WAIT).until(() -> {
        List<Integer> seq = sequence(slow.messages());
        long lost = lost(slow.texts());
        return seq.size() + lost >= total;
      });
      List<Integer> seq = sequence(slow.messages());
      long lost = lost(slow.texts());
      assertThat(seq).isSorted().doesNotHaveDuplicates();
      assertThat(seq.size() + lost).isEqualTo(total);
      assertThat(lost).isPositive().isEqualTo(server.server().stats().dropped(strategy));
      assertThat(slow.texts())
          .anySatisfy(t -> assertThat(t).startsWith("{\"type\":\"gap\",\"channel\":\"feed\""));
      assertThat(server.server().stats().totalCuts()).isZero();
    }
  }

  private static TestServer start(OverflowStrategy strategy) {
    return TestServer.start(b ->
        b.channelPolicies(List.of(ChannelPolicy.of("feed", strategy, Duration.ofSeconds(20)))));
  }

  private static List<Integer> sequence(List<String> messages) {
    List<Integer> out = new ArrayList<>();
    for (String m : messages) {
      out.add(Integer.parseInt(m.substring(0, m.indexOf(':'))));
    }
    return out;
  }

  private static long lost(List<String> texts) {
    long sum = 0;
    for (String t : texts) {
      if (t.startsWith("{\"type\":\"gap\"")) {
        Matcher m = LOST.matcher(t);
        if (m.find()) {
          sum += Long.parseLong(m.group(1));
        }
      }
    }
    return sum;
  }

  /** Jedis's subscriber callbacks, collecting messages and notices; the first message waits for the latch. */
  static final class Collector extends JedisPubSub {
    CountDownLatch holdFirst;
    volatile int subscriptions;
    private final List<Integer> seq = new ArrayList<>();
    final List<String> notices = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long lost;

    @Override
    public void onSubscribe(String channel, int count) {
      subscriptions = count;
    }

    @Override
    public void onMessage(String channel, String message) {
      if (holdFirst != null) {
        try {
          holdFirst.await(30, TimeUnit.SECONDS); // a subscriber that stops reading for a while
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        holdFirst = null;
      }
      if (channel.equals("__spillway__:notices")) {
        notices.add(message);
        Matcher m = LOST.matcher(message);
        if (message.contains("\"type\":\"gap\"") && m.find()) {
          synchronized (this) {
            lost += Long.parseLong(m.group(1));
          }
        }
        return;
      }
      synchronized (this) {
        seq.add(Integer.parseInt(message.substring(0, message.indexOf(':'))));
      }
    }

    synchronized List<Integer> sequence() {
      return new ArrayList<>(seq);
    }

    synchronized int received() {
      return seq.size();
    }

    synchronized long lost() {
      return lost;
    }

    synchronized int lastSeq() {
      return seq.isEmpty() ? -1 : seq.get(seq.size() - 1);
    }
  }

  /** Jedis sockets with a 4 KiB receive buffer, so that a subscriber that stops reading is behind at once. */
  static final class SmallBufferSockets implements JedisSocketFactory {
    private final int port;

    SmallBufferSockets(int port) {
      this.port = port;
    }

    @Override
    public Socket createSocket() {
      try {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 5_000);
        s.setSoTimeout(0);
        return s;
      } catch (IOException e) {
        throw new JedisConnectionException(e);
      }
    }
  }
}
