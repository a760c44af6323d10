package io.spillway.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.spillway.server.config.ServerConfig;
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
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisDataException;

/** Jedis 5, a widely used Java Redis client, against a real Spillway server, in RESP2 and RESP3. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JedisWireTest {

  private static final Duration AWAIT = Duration.ofSeconds(10);
  private static final JedisClientConfig RESP2 =
      DefaultJedisClientConfig.builder().timeoutMillis(5_000).build();
  private static final JedisClientConfig RESP3 = DefaultJedisClientConfig.builder()
      .timeoutMillis(5_000)
      .protocol(RedisProtocol.RESP3)
      .build();

  private TestServer server;
  private final List<Jedis> clients = new ArrayList<>();
  private final List<Thread> subscriberThreads = new ArrayList<>();
  /** The first exception a subscriber thread threw while the test was running. */
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

  private volatile boolean closing;

  @AfterEach
  void closeClientsThenServer() throws InterruptedException {
    closing = true;
    for (Jedis j : clients) {
      j.close();
    }
    for (Thread t : subscriberThreads) {
      t.join(5_000);
      assertThat(t.isAlive()).as("subscriber thread %s ended", t.getName()).isFalse();
    }
    if (server != null) {
      server.close();
    }
  }

  private void start(UnaryOperator<ServerConfig.Builder> tweak) {
    server = TestServer.start(tweak);
  }

  private Jedis jedis(JedisClientConfig config) {
    Jedis j = new Jedis("127.0.0.1", server.port(), config);
    clients.add(j);
    return j;
  }

  /** Records every callback, in arrival order; any thread may read the lists. */
  static final class RecordingPubSub extends JedisPubSub {
    final List<String> messages = new CopyOnWriteArrayList<>();
    final List<String> pmessages = new CopyOnWriteArrayList<>();
    final List<String> confirmations = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(String channel, String message) {
      messages.add(channel + ":" + message);
    }

    @Override
    public void onPMessage(String pattern, String channel, String message) {
      pmessages.add(pattern + ":" + channel + ":" + message);
    }

    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      confirmations.add("subscribe:" + channel + ":" + subscribedChannels);
    }

    @Override
    public void onPSubscribe(String pattern, int subscribedChannels) {
      confirmations.add("psubscribe:" + pattern + ":" + subscribedChannels);
    }
  }

  /**
   * Runs {@code jedis.subscribe} (or psubscribe) on its own thread, as applications do, and returns once every
   * name is confirmed. A failure on that thread is kept in {@link #failure}.
   */
  private RecordingPubSub subscribe(JedisClientConfig config, boolean patterns, String... names) {
    Jedis subscriber = jedis(config);
    RecordingPubSub pubSub = new RecordingPubSub();
    Thread t = new Thread(
        () -> {
          try {
            if (patterns) {
              subscriber.psubscribe(pubSub, names);
            } else {
              subscriber.subscribe(pubSub, names);
            }
          } catch (RuntimeException e) {
            if (!closing) {
              failure.compareAndSet(null, e);
            }
          }
        },
        "jedis-subscriber-" + subscriberThreads.size());
    t.setDaemon(true);
    subscriberThreads.add(t);
    t.start();
    await()
        .atMost(AWAIT)
        .until(() -> failure.get() != null || pubSub.confirmations.size() == names.length);
    assertThat(failure.get()).as("subscriber thread failed").isNull();
    return pubSub;
  }

  @Test
  void jedisSubscriberReceivesHundredMessagesInPublishOrder() throws InterruptedException {
    start(b -> b);
    RecordingPubSub pubSub = subscribe(RESP2, false, "orders");
    assertThat(pubSub.confirmations).containsExactly("subscribe:orders:1");
    Jedis publisher = jedis(RESP2);

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      assertThat(publisher.publish("orders", "m" + i)).isEqualTo(1);
      expected.add("orders:m" + i);
    }

    await().atMost(AWAIT).until(() -> pubSub.messages.size() >= 100);
    assertThat(pubSub.messages).containsExactlyElementsOf(expected);

    pubSub.unsubscribe();
    Thread t = subscriberThreads.get(0);
    t.join(5_000);
    assertThat(t.isAlive()).as("subscribe() returned after unsubscribe()").isFalse();
    assertThat(failure.get()).isNull();
  }

  @Test
  void jedisPatternSubscriberGetsPmessageWithPatternAndChannel() {
    start(b -> b);
    RecordingPubSub pubSub = subscribe(RESP2, true, "news.*");
    assertThat(pubSub.confirmations).containsExactly("psubscribe:news.*:1");
    Jedis publisher = jedis(RESP2);

    assertThat(publisher.publish("sport.x", "no")).isZero();
    assertThat(publisher.publish("news.tech", "yes")).isEqualTo(1);

    await().atMost(AWAIT).until(() -> !pubSub.pmessages.isEmpty());
    assertThat(pubSub.pmessages).containsExactly("news.*:news.tech:yes");
    assertThat(pubSub.messages).isEmpty();
  }

  @Test
  void jedisResp3SubscriberReceivesPushMessages() {
    start(b -> b);
    RecordingPubSub channel = subscribe(RESP3, false, "live");
    RecordingPubSub pattern = subscribe(RESP3, true, "li*");
    Jedis publisher = jedis(RESP3);

    for (int i = 0; i < 10; i++) {
      assertThat(publisher.publish("live", "p" + i)).isEqualTo(2);
    }

    await()
        .atMost(AWAIT)
        .until(() -> channel.messages.size() >= 10 && pattern.pmessages.size() >= 10);
    assertThat(channel.messages).startsWith("live:p0").endsWith("live:p9").hasSize(10);
    assertThat(pattern.pmessages)
        .startsWith("li*:live:p0")
        .endsWith("li*:live:p9")
        .hasSize(10);
    assertThat(publisher.clientList()).contains(" resp=3 ");
  }

  @Test
  void jedisPubsubQueriesCountSubscribers() {
    start(b -> b);
    subscribe(RESP2, false, "alpha", "beta");
    subscribe(RESP2, false, "alpha");
    subscribe(RESP2, true, "a*", "b*");
    Jedis jedis = jedis(RESP2);

    Map<String, Long> numSub = jedis.pubsubNumSub("alpha", "beta", "gamma");
    assertThat(numSub)
        .containsExactlyInAnyOrderEntriesOf(Map.of("alpha", 2L, "beta", 1L, "gamma", 0L));
    assertThat(jedis.pubsubNumPat()).isEqualTo(2L);
    assertThat(jedis.pubsubChannels()).containsExactlyInAnyOrder("alpha", "beta");
    assertThat(jedis.pubsubChannels("b*")).containsExactly("beta");
  }

  @Test
  void jedisResp3PubsubQueriesCountSubscribers() {
    start(b -> b);
    subscribe(RESP3, false, "alpha");
    Jedis jedis = jedis(RESP3);

    assertThat(jedis.pubsubNumSub("alpha", "gamma"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("alpha", 1L, "gamma", 0L));
    assertThat(jedis.pubsubNumPat()).isZero();
    assertThat(jedis.pubsubChannels()).containsExactly("alpha");
  }

  @Test
  void jedisClientCommandsNameAndListTheConnection() {
    start(b -> b);
    Jedis jedis = jedis(RESP2);

    long id = jedis.clientId();
    assertThat(id).isPositive();
    assertThat(jedis.clientGetname()).isNull();
    assertThat(jedis.clientSetname("orders-worker")).isEqualTo("OK");
    assertThat(jedis.clientGetname()).isEqualTo("orders-worker");
    assertThat(jedis.clientList())
        .contains("id=" + id + " ", " name=orders-worker ", " class=normal ")
        .containsPattern(" queued=\\d+ ");
    assertThatThrownBy(() -> jedis.clientSetname("has space"))
        .isInstanceOf(JedisDataException.class)
        .hasMessage("ERR Client names cannot contain spaces, newlines or special characters.");
  }

  @Test
  void jedisResp3ClientListAndInfoAreReadAsText() {
    start(b -> b);
    Jedis jedis = jedis(RESP3);

    assertThat(jedis.clientSetname("r3")).isEqualTo("OK");
    assertThat(jedis.clientGetname()).isEqualTo("r3");
    assertThat(jedis.clientList()).contains(" name=r3 ", " resp=3 ");
    assertThat(jedis.info()).contains("# Server", "# Stats");
  }

  @Test
  void jedisInfoHasEverySection() {
    start(b -> b);
    Jedis jedis = jedis(RESP2);

    String info = jedis.info();

    assertThat(info).contains("# Server\r\n", "# Clients\r\n", "# Memory\r\n", "# Stats\r\n");
    assertThat(info)
        .containsPattern("connected_clients:\\d+\r\n")
        .contains("client_cuts_buffer_overflow:0\r\n");
    assertThat(jedis.info("memory")).contains("# Memory").doesNotContain("# Stats");
  }

  @Test
  void jedisWithPasswordIsAuthenticated() {
    start(b -> b.requirePass("secret"));

    Jedis resp2 = jedis(DefaultJedisClientConfig.builder()
        .timeoutMillis(5_000)
        .password("secret")
        .build());
    Jedis resp3 = jedis(DefaultJedisClientConfig.builder()
        .timeoutMillis(5_000)
        .password("secret")
        .protocol(RedisProtocol.RESP3)
        .build());

    assertThat(resp2.ping()).isEqualTo("PONG");
    assertThat(resp3.ping()).isEqualTo("PONG");
    assertThat(resp2.publish("ch", "x")).isZero();
  }

  @Test
  void jedisWithWrongPasswordGetsWrongpass() {
    start(b -> b.requirePass("secret"));

    for (RedisProtocol protocol : RedisProtocol.values()) {
      JedisClientConfig wrong = DefaultJedisClientConfig.builder()
          .timeoutMillis(5_000)
          .password("guess")
          .protocol(protocol)
          .build();
      assertThatThrownBy(() -> jedis(wrong).ping())
          .as("protocol %s", protocol)
          .isInstanceOf(JedisDataException.class)
          .hasMessageContaining("WRONGPASS invalid username-password pair or user is disabled.");
    }
  }

  @Test
  void jedisWithoutPasswordGetsNoauth() {
    start(b -> b.requirePass("secret"));
    Jedis jedis = jedis(RESP2);

    assertThatThrownBy(jedis::ping)
        .isInstanceOf(JedisDataException.class)
        .hasMessage("NOAUTH Authentication required.");
    assertThat(jedis.auth("secret")).isEqualTo("OK");
    assertThat(jedis.ping()).isEqualTo("PONG");
  }
}
