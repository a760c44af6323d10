package io.spillway.server.backplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spillway.server.SpillwayServer;
import io.spillway.server.config.BackplaneConfig;
import io.spillway.server.config.HttpConfig;
import io.spillway.server.config.ServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Three Spillway servers joined by a real redis-server (Debian package redis-server) on loopback: delivery across
 * servers, interest-based subscription on Redis, and the backplane killed and started again.
 */
class BackplaneWireTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private RedisProcess redis;
  private final List<SpillwayServer> nodes = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void startRedisAndThreeNodes() throws Exception {
    redis = RedisProcess.launch();
    for (int i = 0; i < 3; i++) {
      nodes.add(BackplaneNodes.start(
          BackplaneNodes.backplane(redis.uri(), Duration.ofMillis(300)), 2, i == 0));
    }
    await()
        .atMost(WAIT)
        .until(() -> nodes.stream().allMatch(n -> n.backplane().state().equals("up")));
  }

  @AfterEach
  void stopAll() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    for (SpillwayServer n : nodes) {
      n.close();
    }
    redis.close();
  }

  private <T extends AutoCloseable> T closing(T c) {
    closeables.add(c);
    return c;
  }

  private int port(int node) {
    return nodes.get(node).port();
  }

  @Test
  void messagePublishedOnAnyNodeReachesEveryNodeOnceInOrderPerPublisher() throws Exception {
    List<Recorder> subs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      subs.add(closing(Recorder.channels(port(i), "orders")));
    }
    // A channel subscriber and a pattern subscriber of it on the same node: Redis sends that node
    // each message twice
    // (message and pmessage); each subscriber must still get each message once.
    Recorder pattern = closing(Recorder.patterns(port(1), List.of("ord*"), List.of()));
    awaitHeldOnRedis("orders", 3);
    int perPublisher = 300;
    List<Thread> publishers = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      int node = p;
      Thread t = new Thread(() -> {
        try (Jedis j = new Jedis("127.0.0.1", port(node), 10_000)) {
          for (int m = 0; m < perPublisher; m++) {
            j.publish("orders", "n" + node + ":" + m);
          }
        }
      });
      t.start();
      publishers.add(t);
    }
    for (Thread t : publishers) {
      t.join(30_000);
    }
    int total = 3 * perPublisher;
    await()
        .atMost(WAIT)
        .until(() -> subs.stream().allMatch(s -> s.messages().size() >= total)
            && pattern.messages().size() >= total);
    Thread.sleep(300); // anything extra (a second copy) would arrive right behind
    for (Recorder s : subs) {
      assertExactlyOnceInOrder(s.messages(), perPublisher);
    }
    assertExactlyOnceInOrder(pattern.messages(), perPublisher);
    assertThat(nodes.get(1).backplane().duplicatesSkipped()).isGreaterThan(0);
    assertThat(nodes.get(0).backplane().ownSkipped()).isEqualTo(perPublisher);
  }

  /** Each of the 3 publishers' messages exactly once, and each publisher's in the order it sent them. */
  static void assertExactlyOnceInOrder(List<String> received, int perPublisher) {
    Map<String, List<Integer>> byPublisher = new TreeMap<>();
    for (String m : received) {
      String payload = m.substring(m.lastIndexOf('|') + 1);
      int colon = payload.indexOf(':');
      byPublisher
          .computeIfAbsent(payload.substring(0, colon), k -> new ArrayList<>())
          .add(Integer.parseInt(payload.substring(colon + 1)));
    }
    assertThat(byPublisher).containsOnlyKeys("n0", "n1", "n2");
    for (List<Integer> seqs : byPublisher.values()) {
      assertThat(seqs).hasSize(perPublisher);
      for (int i = 0; i < seqs.size(); i++) {
        assertThat(seqs.get(i)).isEqualTo(i);
      }
    }
  }

  @Test
  void nodeSubscribesOnRedisOnlyWhileItHasLocalSubscribers() throws Exception {
    try (Jedis r = redis.jedis()) {
      assertThat(r.pubsubChannels()).isEmpty();
      Recorder a = Recorder.channels(port(0), "alpha");
      Recorder b = Recorder.channels(port(0), "alpha");
      Recorder p = Recorder.patterns(port(2), List.of("news.*"), List.of());
      awaitHeldOnRedis("alpha", 1); // one node subscribed, however many local subscribers
      await().atMost(WAIT).until(() -> r.pubsubNumPat() == 1);
      assertThat(r.pubsubChannels()).containsExactly("alpha");
      a.close();
      Thread.sleep(200);
      assertThat(r.pubsubNumSub("alpha")).containsEntry("alpha", 1L); // b is still there
      b.close();
      awaitHeldOnRedis("alpha", 0);
      p.close();
      await().atMost(WAIT).until(() -> r.pubsubNumPat() == 0);
      assertThat(r.pubsubChannels()).isEmpty();
    }
  }

  @Test
  void backplaneKilledAndRestartedLocalTrafficGoesOnAndSubscribersGetGapNotices() throws Exception {
    Recorder local = closing(Recorder.channels(port(0), "ticks", "__spillway__:notices"));
    Recorder remote = closing(Recorder.channels(port(1), "ticks", "__spillway__:notices"));
    awaitHeldOnRedis("ticks", 2);
    try (Jedis pub0 = new Jedis("127.0.0.1", port(0), 10_000);
        Jedis pub2 = new Jedis("127.0.0.1", port(2), 10_000)) {
      pub0.publish("ticks", "before");
      await().atMost(WAIT).until(() -> remote.messages().contains("ticks|before"));

      redis.kill();
      await()
          .atMost(WAIT)
          .until(() -> nodes.stream().allMatch(n -> n.backplane().state().equals("down")));
      for (int i = 0; i < 200; i++) {
        pub0.publish("ticks", "outage-" + i); // local delivery never stops
        pub2.publish("ticks", "lost-" + i); // dropped: counted, not queued
      }
      await().atMost(WAIT).until(() -> local.messages().contains("ticks|outage-199"));
      assertThat(nodes.get(2).backplane().droppedDown()).isGreaterThanOrEqualTo(200);
      for (SpillwayServer n : nodes) {
        assertThat(n.backplane().outboundBytes()).isZero();
        assertThat(n.backplane().inboundBytes()).isZero();
      }

      redis.start();
      await()
          .atMost(WAIT)
          .until(() -> nodes.stream().allMatch(n -> n.backplane().state().equals("up")));
      awaitHeldOnRedis("ticks", 2);
      await()
          .atMost(WAIT)
          .until(() -> !local.notices().isEmpty() && !remote.notices().isEmpty());
      assertThat(local.notices().get(0))
          .isEqualTo(
              "{\"type\":\"gap\",\"channel\":\"ticks\",\"lost\":null,\"strategy\":\"disconnect\","
                  + "\"cause\":\"backplane\"}");
      pub2.publish("ticks", "after");
      await()
          .atMost(WAIT)
          .until(() -> local.messages().contains("ticks|after")
              && remote.messages().contains("ticks|after"));
      assertThat(remote.messages()).doesNotContain("ticks|lost-0", "ticks|outage-0");
      assertThat(nodes.get(0).backplane().reconnects()).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void messagesAServerCouldNotSendReachOtherServersSubscribersAsAGapNotice() throws Exception {
    SpillwayServer tight = SpillwayServer.start(ServerConfig.builder()
        .port(0)
        .ioThreads(1)
        .http(HttpConfig.builder().port(-1).build())
        .backplane(BackplaneConfig.builder()
            .uri(redis.uri())
            .outboundQueue(io.spillway.core.config.ByteSize.ofBytes(1024))
            .build())
        .build());
    nodes.add(tight);
    await().atMost(WAIT).until(() -> tight.backplane().state().equals("up"));
    Recorder remote = closing(Recorder.channels(port(1), "burst", "__spillway__:notices"));
    awaitHeldOnRedis("burst", 1);
    try (Jedis pub = new Jedis("127.0.0.1", tight.port(), 10_000)) {
      redis.clients.jedis.Pipeline p = pub.pipelined();
      String big = "x".repeat(600);
      for (int i = 0; i < 200; i++) {
        p.publish("burst", big + i);
      }
      p.sync();
    }
    await()
        .atMost(WAIT)
        .until(() -> tight.backplane().droppedFull() > 0 && !remote.notices().isEmpty());
    assertThat(remote.notices().get(0)).contains("\"channel\":\"burst\"", "\"lost\":null");
    assertThat(remote.messages().size()).isLessThan(200);
  }

  @Test
  void subscriptionCutByRedisIsHandledAsAReconnectWithGapNotices() throws Exception {
    Recorder sub = closing(Recorder.channels(port(0), "cut", "__spillway__:notices"));
    awaitHeldOnRedis("cut", 1);
    try (Jedis r = redis.jedis();
        Jedis pub = new Jedis("127.0.0.1", port(1), 10_000)) {
      // What Redis does to a subscriber over client-output-buffer-limit pubsub.
      assertThat(r.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB)))
          .isEqualTo(1); // node 0 is the only one subscribed to anything
      await().atMost(WAIT).until(() -> !sub.notices().isEmpty());
      assertThat(sub.notices().get(0)).contains("\"channel\":\"cut\"", "\"lost\":null");
      awaitHeldOnRedis("cut", 1);
      pub.publish("cut", "after");
      await().atMost(WAIT).until(() -> sub.messages().contains("cut|after"));
    }
  }

  @Test
  void stateLagAndDropsShowInInfoReadyzAndMetrics() throws Exception {
    try (Jedis j = new Jedis("127.0.0.1", port(0), 10_000)) {
      String info = j.info("backplane");
      assertThat(info)
          .contains(
              "# Backplane",
              "backplane_kind:redis",
              "backplane_state:up",
              "backplane_outbound_bytes:0",
              "backplane_dropped_full:0",
              "backplane_inbound_bytes:0");
    }
    int http = nodes.get(0).http().port();
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    String ready = client
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + http + "/readyz"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
    assertThat(ready)
        .isEqualTo("{\"status\":\"ready\",\"backplane\":{\"state\":\"up\",\"down_seconds\":0,"
            + "\"outbound_bytes\":0,\"inbound_bytes\":0,\"dropped\":0}}");
    String metrics = client
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + http + "/metrics"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
    assertThat(metrics)
        .contains(
            "spillway_backplane_up 1",
            "spillway_backplane_dropped_full_total 0",
            "spillway_backplane_outbound_bytes 0");
    redis.kill();
    await().atMost(WAIT).until(() -> nodes.get(0).backplane().state().equals("down"));
    try (Jedis j = new Jedis("127.0.0.1", port(0), 10_000)) {
      assertThat(j.info("backplane")).contains("backplane_state:down");
    }
  }

  /** Waits until {@code channel} has {@code nodes} subscribers on Redis (one per node that holds it). */
  private void awaitHeldOnRedis(String channel, long nodes) {
    await().atMost(WAIT).until(() -> {
      try (Jedis r = redis.jedis()) {
        return r.pubsubNumSub(channel).getOrDefault(channel, 0L) == nodes;
      }
    });
  }
}
