package io.spillway.server.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spillway.core.config.ByteSize;
import io.spillway.server.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.JedisShardedPubSub;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;

/**
 * Redis 7's sharded pub/sub on a real server: Jedis 5 (its {@link JedisShardedPubSub} on a standalone connection, as
 * Jedis's own {@code UnifiedJedis.ssubscribe} runs it) in RESP2 and RESP3, the separation from classic channels, the
 * per-client and server-wide limits, the cleanup on close, and the figures operators read.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShardedPubSubWireTest {

  private static final Duration AWAIT = Duration.ofSeconds(10);

  private TestServer server;
  private final List<AutoCloseable> clients = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : clients) {
      c.close();
    }
    for (Thread t : threads) {
      t.join(5_000);
      assertThat(t.isAlive()).as("thread %s ended", t.getName()).isFalse();
    }
    if (server != null) {
      server.close();
    }
  }

  private void start(UnaryOperator<ServerConfig.Builder> tweak) {
    server = TestServer.start(tweak);
  }

  private Jedis jedis(RedisProtocol protocol) {
    JedisClientConfig config = DefaultJedisClientConfig.builder()
        .timeoutMillis(5_000)
        .protocol(protocol)
        .build();
    Jedis j = new Jedis("127.0.0.1", server.port(), config);
    clients.add(j);
    return j;
  }

  private RawRespClient raw() throws Exception {
    RawRespClient c = RawRespClient.connect(server.port());
    clients.add(c);
    return c;
  }

  private void inThread(String name, Runnable body) {
    Thread t = new Thread(
        () -> {
          try {
            body.run();
          } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
          }
        },
        name);
    threads.add(t);
    t.start();
  }

  /** Records every sharded callback. */
  static final class ShardRecorder extends JedisShardedPubSub {
    final List<String> messages = new CopyOnWriteArrayList<>();
    final List<String> confirmations = new CopyOnWriteArrayList<>();

    @Override
    public void onSMessage(String channel, String message) {
      messages.add(channel + ":" + message);
    }

    @Override
    public void onSSubscribe(String channel, int count) {
      confirmations.add("ssubscribe:" + channel + ":" + count);
    }

    @Override
    public void onSUnsubscribe(String channel, int count) {
      confirmations.add("sunsubscribe:" + channel + ":" + count);
    }
  }

  /** Records classic messages and pattern messages. */
  static final class ClassicRecorder extends JedisPubSub {
    final List<String> messages = new CopyOnWriteArrayList<>();
    volatile int subscriptions;

    @Override
    public void onMessage(String channel, String message) {
      messages.add(channel + ":" + message);
    }

    @Override
    public void onPMessage(String pattern, String channel, String message) {
      messages.add(pattern + "|" + channel + ":" + message);
    }

    @Override
    public void onSubscribe(String channel, int count) {
      subscriptions = count;
    }

    @Override
    public void onPSubscribe(String pattern, int count) {
      subscriptions = count;
    }
  }

  private static long spublish(Jedis j, String channel, String message) {
    return (Long) j.sendCommand(Protocol.Command.SPUBLISH, channel, message);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = RedisProtocol.class,
      names = {"RESP2", "RESP3"})
  void jedisShardSubscribersGetSpublishedMessagesAndNothingOfTheClassicNamespace(
      RedisProtocol protocol) {
    start(b -> b);
    Jedis shardSide = jedis(protocol);
    ShardRecorder shard = new ShardRecorder();
    inThread("shard-subscriber", () -> shard.proceed(shardSide.getConnection(), "orders", "news"));
    Jedis classicSide = jedis(protocol);
    ClassicRecorder classic = new ClassicRecorder();
    inThread("classic-subscriber", () -> classicSide.subscribe(classic, "orders"));
    Jedis patternSide = jedis(protocol);
    ClassicRecorder pattern = new ClassicRecorder();
    inThread("pattern-subscriber", () -> patternSide.psubscribe(pattern, "*"));
    await()
        .atMost(AWAIT)
        .until(() -> shard.getSubscribedChannels() == 2
            && classic.subscriptions == 1
            && pattern.subscriptions == 1);
    assertThat(shard.confirmations).containsExactly("ssubscribe:orders:1", "ssubscribe:news:2");

    Jedis publisher = jedis(protocol);
    assertThat(spublish(publisher, "orders", "shard-1")).isEqualTo(1);
    assertThat(spublish(publisher, "news", "shard-2")).isEqualTo(1);
    assertThat(spublish(publisher, "nobody", "x")).isZero();
    assertThat(publisher.publish("orders", "classic-1"))
        .as("the channel subscriber and the pattern, not the shard subscriber")
        .isEqualTo(2);
    assertThat(publisher.pubsubShardChannels()).containsExactlyInAnyOrder("orders", "news");
    assertThat(publisher.pubsubShardChannels("n*")).containsExactly("news");
    assertThat(publisher.pubsubShardNumSub("orders", "nobody"))
        .isEqualTo(Map.of("orders", 1L, "nobody", 0L));
    assertThat(publisher.pubsubNumSub("orders")).isEqualTo(Map.of("orders", 1L));

    await().atMost(AWAIT).until(() -> shard.messages.size() == 2 && classic.messages.size() == 1);
    assertThat(shard.messages).containsExactly("orders:shard-1", "news:shard-2");
    assertThat(classic.messages).containsExactly("orders:classic-1");
    await().atMost(AWAIT).until(() -> pattern.messages.size() == 1);
    assertThat(pattern.messages).containsExactly("*|orders:classic-1");

    shard.sunsubscribe();
    classic.unsubscribe();
    pattern.punsubscribe();
    await().atMost(AWAIT).until(() -> !shard.isSubscribed());
    assertThat(shard.confirmations).last().asString().endsWith(":0");
    assertThat(publisher.pubsubShardChannels()).isEmpty();
    assertThat(failure.get()).isNull();
  }

  @Test
  void shardChannelsCountAgainstMaxSubscriptionsPerClientWithChannelsAndPatterns()
      throws Exception {
    start(b -> b.maxSubscriptionsPerClient(3));
    RawRespClient c = raw();
    c.call("SUBSCRIBE", "a");
    c.call("PSUBSCRIBE", "p*");
    assertThat(c.call("SSUBSCRIBE", "b", "c"))
        .isEqualTo("-ERR subscribing would exceed max-subscriptions-per-client (3)\r\n");
    assertThat(c.call("PING"))
        .as("nothing was subscribed")
        .isEqualTo("*2\r\n$4\r\npong\r\n$0\r\n\r\n");
    assertThat(c.call("SSUBSCRIBE", "b")).isEqualTo("*3\r\n$10\r\nssubscribe\r\n$1\r\nb\r\n:1\r\n");
    assertThat(c.call("SSUBSCRIBE", "b"))
        .as("held already: no new subscription")
        .endsWith(":1\r\n");
    assertThat(c.call("SUBSCRIBE", "d"))
        .isEqualTo("-ERR subscribing would exceed max-subscriptions-per-client (3)\r\n");
    RawRespClient admin = raw();
    assertThat(admin.call("PUBSUB", "SHARDCHANNELS")).isEqualTo("*1\r\n$1\r\nb\r\n");
  }

  @Test
  void shardChannelsCountAgainstTheSubscriptionMemoryBudgetAndGiveItBackOnClose() throws Exception {
    start(b -> b.maxSubscriptionMemory(ByteSize.ofMebibytes(1)));
    RawRespClient hog = raw();
    String name = "s".repeat(1000);
    String refusal = null;
    int accepted = 0;
    for (int batch = 0; batch < 100 && refusal == null; batch++) {
      String[] args = new String[11];
      args[0] = "SSUBSCRIBE";
      for (int i = 1; i <= 10; i++) {
        args[i] = name + "-" + batch + "-" + i;
      }
      hog.command(args);
      String first = hog.readReply();
      if (first.startsWith("-")) {
        refusal = first;
      } else {
        for (int i = 1; i < 10; i++) {
          hog.readReply();
        }
        accepted += 10;
      }
    }
    assertThat(refusal).startsWith("-ERR subscribing would exceed max-subscription-memory");
    assertThat(accepted).isPositive();
    RawRespClient admin = raw();
    assertThat(admin.call("INFO", "memory")).contains("subscriptions_refused:1\r\n");
    assertThat(admin.call("INFO", "stats")).contains("pubsubshard_channels:" + accepted + "\r\n");
    hog.close();
    await()
        .atMost(AWAIT)
        .until(() -> admin.call("INFO", "stats").contains("pubsubshard_channels:0\r\n"));
    assertThat(admin.call("INFO", "memory")).contains("subscription_memory_bytes:0\r\n");
    RawRespClient next = raw();
    assertThat(next.call("SSUBSCRIBE", name)).as("the budget came back").endsWith(":1\r\n");
  }

  @Test
  void resetLeavesEveryShardChannelAndTheSubscribedContext() throws Exception {
    start(b -> b);
    RawRespClient c = raw();
    c.command("SSUBSCRIBE", "x", "y");
    c.readReply();
    c.readReply();
    RawRespClient publisher = raw();
    assertThat(publisher.call("SPUBLISH", "x", "m")).isEqualTo(":1\r\n");
    assertThat(c.readReply()).isEqualTo("*3\r\n$8\r\nsmessage\r\n$1\r\nx\r\n$1\r\nm\r\n");
    assertThat(c.call("RESET")).isEqualTo("+RESET\r\n");
    assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
    assertThat(publisher.call("SPUBLISH", "x", "m")).isEqualTo(":0\r\n");
    assertThat(publisher.call("PUBSUB", "SHARDCHANNELS")).isEqualTo("*0\r\n");
  }

  @Test
  void shardSubscribersShowInClientListInfoMetricsAndTheHttpApi() throws Exception {
    start(b -> b);
    RawRespClient c = raw();
    c.command("SSUBSCRIBE", "x", "y");
    c.readReply();
    c.readReply();
    RawRespClient admin = raw();
    String list = admin.call("CLIENT", "LIST");
    assertThat(list).contains(" flags=P db=0 sub=0 psub=0 ssub=2 ");
    assertThat(admin.call("INFO", "stats")).contains("pubsubshard_channels:2\r\n");
    assertThat(admin.call("INFO", "clients")).contains("pubsub_clients:1\r\n");
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + server.server().http().port();
    String clientsJson = http.send(
            HttpRequest.newBuilder(URI.create(base + "/v1/clients")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
    assertThat(clientsJson).contains("\"class\":\"subscriber\"").contains("\"shard_channels\":2");
    String stats = http.send(
            HttpRequest.newBuilder(URI.create(base + "/v1/stats")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
    assertThat(stats).contains("\"shard_channels\":2");
    String metrics = http.send(
            HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
    assertThat(metrics).containsPattern("\nspillway_shard_channels_active 2(\\.0)?\n");
  }

  @Test
  void anAclUserIsHeldToItsChannelsOnShardChannelsToo() throws Exception {
    start(b -> b.aclUsers("alice >alice-pw &news:* sub&alerts:*"));
    RawRespClient c = raw();
    assertThat(c.call("AUTH", "alice", "alice-pw")).isEqualTo("+OK\r\n");
    assertThat(c.call("SPUBLISH", "news:1", "x")).isEqualTo(":0\r\n");
    assertThat(c.call("SPUBLISH", "alerts:1", "x"))
        .isEqualTo(
            "-NOPERM this user has no permissions to access one of the channels used as arguments\r\n");
    assertThat(c.call("SSUBSCRIBE", "news:1", "other")).startsWith("-NOPERM ");
    assertThat(c.call("PING")).as("nothing was subscribed").isEqualTo("+PONG\r\n");
    assertThat(c.call("SSUBSCRIBE", "alerts:1")).contains("ssubscribe");
  }

  /**
   * A shard subscriber that stops reading is held to the outbox policy like a channel subscriber: cut under the
   * default strategy, while one on a {@code drop-oldest} shard channel keeps its connection and loses the oldest.
   */
  @Test
  void aStalledShardSubscriberIsCutUnderDisconnectAndDropsUnderDropOldest() throws Exception {
    start(b -> b.channelPolicies(
        List.of(io.spillway.core.outbox.ChannelPolicy.parse("ticks.*=drop-oldest"))));
    try (LogCapture cuts = LogCapture.cuts();
        java.net.Socket strict =
            new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port());
        java.net.Socket lossy =
            new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
      strict
          .getOutputStream()
          .write(RawRespClient.multibulk("SSUBSCRIBE", "orders").getBytes(UTF_8));
      lossy
          .getOutputStream()
          .write(RawRespClient.multibulk("SSUBSCRIBE", "ticks.eu").getBytes(UTF_8));
      RawRespClient publisher = raw();
      await()
          .atMost(AWAIT)
          .until(() -> publisher
              .call("PUBSUB", "SHARDNUMSUB", "orders", "ticks.eu")
              .equals("*4\r\n$6\r\norders\r\n:1\r\n$8\r\nticks.eu\r\n:1\r\n"));
      String payload = "x".repeat(1024);
      // Neither socket is read: 16 MiB to each is far beyond the kernel's buffers and the hard
      // limit.
      String batch = (RawRespClient.multibulk("SPUBLISH", "orders", payload)
              + RawRespClient.multibulk("SPUBLISH", "ticks.eu", payload))
          .repeat(64);
      for (int i = 0; i < 16 * 1024 / 64; i++) {
        publisher.send(batch);
        for (int r = 0; r < 2 * 64; r++) {
          publisher.readReply();
        }
      }
      await()
          .atMost(AWAIT)
          .until(() -> publisher.call("PUBSUB", "SHARDNUMSUB", "orders").endsWith(":0\r\n"));
      assertThat(cuts.messages())
          .anySatisfy(
              m -> assertThat(m).contains("disconnected: buffer_overflow").contains(" subs=1 "))
          .anySatisfy(
              m -> assertThat(m).contains("dropping messages of ticks.eu: strategy=drop-oldest"));
      assertThat(publisher.call("PUBSUB", "SHARDNUMSUB", "ticks.eu"))
          .as("drop-oldest never cuts for slowness")
          .endsWith(":1\r\n");
      String list = publisher.call("CLIENT", "LIST");
      java.util.regex.Matcher dropped =
          java.util.regex.Pattern.compile("ssub=1 .*dropped=(\\d+)").matcher(list);
      assertThat(dropped.find()).as(list).isTrue();
      assertThat(Long.parseLong(dropped.group(1))).isPositive();
    }
  }

  @Test
  void clientPauseWriteHoldsSpublishAsRedisDoes() throws Exception {
    start(b -> b);
    RawRespClient admin = raw();
    RawRespClient publisher = RawRespClient.connect(server.port(), Duration.ofMillis(300));
    clients.add(publisher);
    assertThat(admin.call("CLIENT", "PAUSE", "20000", "WRITE")).isEqualTo("+OK\r\n");
    publisher.command("SPUBLISH", "a", "b");
    org.assertj.core.api.Assertions.assertThatThrownBy(publisher::readReply)
        .isInstanceOf(java.net.SocketTimeoutException.class);
    assertThat(admin.call("CLIENT", "UNPAUSE")).isEqualTo("+OK\r\n");
    await()
        .atMost(AWAIT)
        .ignoreExceptionsInstanceOf(java.net.SocketTimeoutException.class)
        .untilAsserted(() -> assertThat(publisher.readReply()).isEqualTo(":0\r\n"));
  }
}
