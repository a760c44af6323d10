package io.spillway.server.backplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.cluster.SlotHash;
import io.spillway.server.SpillwayServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Three Spillway servers joined by a three-master Redis 7 Cluster (sharded pub/sub), made with {@code redis-cli
 * --cluster create}: delivery across servers, patterns served locally only, and a slot migration.
 */
class ClusterBackplaneWireTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private RedisCluster cluster;
  private final List<SpillwayServer> nodes = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void startClusterAndThreeNodes() throws Exception {
    cluster = RedisCluster.launch();
    for (int i = 0; i < 3; i++) {
      nodes.add(BackplaneNodes.start(
          BackplaneNodes.backplane(cluster.uri(), Duration.ofMillis(300)), 2, false));
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
    cluster.close();
  }

  private <T extends AutoCloseable> T closing(T c) {
    closeables.add(c);
    return c;
  }

  private int port(int node) {
    return nodes.get(node).port();
  }

  /** Servers subscribed to {@code channel} on the master that owns its slot (PUBSUB SHARDNUMSUB). */
  private long heldOnCluster(String channel) {
    RedisProcess owner =
        cluster.ownerOf(SlotHash.getSlot(channel.getBytes(StandardCharsets.UTF_8)));
    try (Jedis j = owner.jedis()) {
      List<Object> reply = j.pubsubShardNumSub(channel).entrySet().stream()
          .map(e -> (Object) e.getValue())
          .toList();
      return reply.isEmpty() ? 0 : (Long) reply.get(0);
    }
  }

  @Test
  void shardedMessagesReachEveryNodeOnceInOrderAndInterestFollowsSubscribers() throws Exception {
    List<Recorder> subs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      subs.add(closing(Recorder.channels(port(i), "orders")));
    }
    await().atMost(WAIT).until(() -> heldOnCluster("orders") == 3);
    int perPublisher = 200;
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
    await()
        .atMost(WAIT)
        .until(() -> subs.stream().allMatch(s -> s.messages().size() >= 3 * perPublisher));
    Thread.sleep(300);
    for (Recorder s : subs) {
      BackplaneWireTest.assertExactlyOnceInOrder(s.messages(), perPublisher);
    }
    subs.get(2).close();
    await().atMost(WAIT).until(() -> heldOnCluster("orders") == 2);
  }

  @Test
  void patternsAreServedLocallyAndNotSubscribedOnTheCluster() throws Exception {
    Recorder p = closing(Recorder.patterns(port(0), List.of("news.*"), List.of()));
    await().atMost(WAIT).until(() -> nodes.get(0).backplane().patternsRefused() == 1);
    try (Jedis local = new Jedis("127.0.0.1", port(0), 10_000);
        Jedis remote = new Jedis("127.0.0.1", port(1), 10_000)) {
      local.publish("news.a", "here");
      remote.publish("news.b", "there");
      await().atMost(WAIT).until(() -> p.messages().contains("news.*|news.a|here"));
      Thread.sleep(300);
      assertThat(p.messages()).containsExactly("news.*|news.a|here");
    }
    for (RedisProcess m : cluster.masters()) {
      try (Jedis j = m.jedis()) {
        assertThat(j.pubsubNumPat()).isZero();
      }
    }
  }

  @Test
  void slotMigrationIsHandledAsAReconnectWithAGapNotice() throws Exception {
    String channel =
        channelInSlot(0); // the first slot of the first master: what reshard moves first
    RedisProcess from = cluster.ownerOf(0);
    RedisProcess to =
        cluster.masters().stream().filter(m -> m != from).findFirst().orElseThrow();
    Recorder sub = closing(Recorder.channels(port(0), channel, "__spillway__:notices"));
    await().atMost(WAIT).until(() -> heldOnCluster(channel) == 1);
    try (Jedis pub = new Jedis("127.0.0.1", port(1), 10_000)) {
      pub.publish(channel, "before");
      await().atMost(WAIT).until(() -> sub.messages().contains(channel + "|before"));

      RedisCluster.run(List.of(
          "redis-cli",
          "--cluster",
          "reshard",
          "127.0.0.1:" + from.port(),
          "--cluster-from",
          cluster.nodeId(from),
          "--cluster-to",
          cluster.nodeId(to),
          "--cluster-slots",
          "1",
          "--cluster-yes"));
      assertThat(cluster.ownerOf(0)).isSameAs(to);

      await().atMost(WAIT).until(() -> !sub.notices().isEmpty());
      assertThat(sub.notices().get(0)).contains("\"lost\":null", "\"cause\":\"backplane\"");
      await().atMost(WAIT).until(() -> heldOnCluster(channel) == 1);
      await().atMost(WAIT).ignoreExceptions().until(() -> {
        pub.publish(channel, "after");
        return sub.messages().contains(channel + "|after");
      });
    }
  }

  /** A channel name whose hash slot is {@code slot}. */
  private static String channelInSlot(int slot) {
    for (int i = 0; ; i++) {
      String name = "ch" + i;
      if (SlotHash.getSlot(name.getBytes(StandardCharsets.UTF_8)) == slot) {
        return name;
      }
    }
  }
}
