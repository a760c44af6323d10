package io.spillway.server.metrics;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spillway.server.wire.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisProtocol;

/** A real server with Jedis clients: the scraped figures move as clients connect, subscribe and publish. */
@Timeout(value = 60, unit = SECONDS)
class MetricsWireTest {

  private static final Duration AWAIT = Duration.ofSeconds(20);

  private final TestServer server = TestServer.start();
  private final Jedis publisher = new Jedis("127.0.0.1", server.port(), 5_000);
  private final Jedis subscriber = new Jedis(
      "127.0.0.1",
      server.port(),
      DefaultJedisClientConfig.builder()
          .timeoutMillis(5_000)
          .protocol(RedisProtocol.RESP3)
          .build());
  private final Recording pubSub = new Recording();
  private Thread subscriberThread;

  @AfterEach
  void closeClientsThenServer() throws InterruptedException {
    if (pubSub.isSubscribed()) {
      pubSub.unsubscribe();
    }
    if (subscriberThread != null) {
      subscriberThread.join(5_000);
    }
    subscriber.close();
    publisher.close();
    server.close();
  }

  /** Messages received, and a latch released on the subscription's confirmation. */
  static final class Recording extends JedisPubSub {
    final List<String> messages = new CopyOnWriteArrayList<>();
    final CountDownLatch subscribed = new CountDownLatch(1);

    @Override
    public void onMessage(String channel, String message) {
      messages.add(message);
    }

    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      subscribed.countDown();
    }
  }

  private ScrapedText scrape() {
    return new ScrapedText(server.server().metrics().scrape());
  }

  @Test
  void figuresMoveAsARealSubscriberReceivesPublishedMessages() throws Exception {
    subscriberThread = new Thread(() -> subscriber.subscribe(pubSub, "news"), "jedis-subscriber");
    subscriberThread.setDaemon(true);
    subscriberThread.start();
    assertThat(pubSub.subscribed.await(AWAIT.toSeconds(), SECONDS))
        .as("subscribed")
        .isTrue();
    assertThat(publisher.ping()).isEqualTo("PONG");

    ScrapedText connected = scrape();
    assertThat(connected.value("spillway_clients", "protocol", "resp2")).isEqualTo(1);
    assertThat(connected.value("spillway_clients", "protocol", "resp3")).isEqualTo(1);
    assertThat(connected.value("spillway_connections_received_total")).isEqualTo(2);
    assertThat(connected.value("spillway_channels_active")).isEqualTo(1);
    assertThat(connected.value("spillway_messages_published_total")).isZero();

    for (int i = 0; i < 3; i++) {
      assertThat(publisher.publish("news", "m" + i)).isEqualTo(1);
    }
    await().atMost(AWAIT).until(() -> pubSub.messages.size() == 3);

    await().atMost(AWAIT).untilAsserted(() -> {
      ScrapedText s = scrape();
      assertThat(s.value("spillway_messages_published_total")).isEqualTo(3);
      assertThat(s.value("spillway_messages_delivered_total")).isEqualTo(3);
      assertThat(s.value("spillway_commands_processed_total"))
          .as("HELLO, SUBSCRIBE, PING and three PUBLISH at least")
          .isGreaterThanOrEqualTo(6);
    });

    pubSub.unsubscribe();
    subscriberThread.join(5_000);
    subscriber.close();
    await().atMost(AWAIT).untilAsserted(() -> {
      ScrapedText s = scrape();
      assertThat(s.value("spillway_channels_active")).isZero();
      assertThat(s.value("spillway_clients", "protocol", "resp3")).isZero();
      assertThat(s.value("spillway_outbox_queued_bytes")).isZero();
    });
  }
}
