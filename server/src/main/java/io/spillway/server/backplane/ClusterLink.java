package io.spillway.server.backplane;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.spillway.server.broker.Names;
import io.spillway.server.config.BackplaneConfig;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A Redis 7 Cluster with sharded pub/sub: SPUBLISH on the cluster connection (Lettuce routes it by the channel's
 * slot), SSUBSCRIBE on a connection to the master that owns the channel's slot. Patterns do not exist in sharded
 * pub/sub ({@link #patterns()} is false). When a slot moves, Redis unsubscribes its channels by itself (a
 * {@code sunsubscribe} push nobody asked for): reported as {@link Events#lost}, subscribed again where the slot now
 * is, with a gap notice.
 */
final class ClusterLink implements RedisLink {

  private final BackplaneConfig config;
  private final ClientResources resources;
  private final Events events;
  private RedisClusterClient client;
  private StatefulRedisClusterConnection<byte[], byte[]> pub;
  private StatefulRedisClusterPubSubConnection<byte[], byte[]> sub;
  /** Channels being unsubscribed on purpose: their sunsubscribe is expected. */
  private final Set<String> leaving = ConcurrentHashMap.newKeySet();
  /** The subscription connections to masters, each watched for its state. */
  private final Set<Object> watched = ConcurrentHashMap.newKeySet();

  /** Connections down now (any of the cluster's); up again when none is. */
  private final Set<RedisChannelHandler<?, ?>> down = ConcurrentHashMap.newKeySet();

  ClusterLink(BackplaneConfig config, ClientResources resources, Events events) {
    this.config = config;
    this.resources = resources;
    this.events = events;
  }

  @Override
  public void connect() {
    List<RedisURI> seeds = new ArrayList<>();
    for (BackplaneConfig.Address a : config.addresses()) {
      seeds.add(LettuceOptions.uri(config, a));
    }
    RedisClusterClient c = RedisClusterClient.create(resources, seeds);
    c.setOptions(LettuceOptions.cluster(config));
    try {
      StatefulRedisClusterPubSubConnection<byte[], byte[]> s =
          c.connectPubSub(ByteArrayCodec.INSTANCE);
      s.setNodeMessagePropagation(true);
      s.addListener(new RedisClusterPubSubAdapter<byte[], byte[]>() {
        @Override
        public void smessage(RedisClusterNode node, byte[] channel, byte[] message) {
          events.message(channel, message);
        }

        @Override
        public void sunsubscribed(RedisClusterNode node, byte[] channel, long count) {
          if (!leaving.remove(Names.of(channel))) {
            // The slot moved: learn where to before subscribing again.
            client.refreshPartitionsAsync().whenComplete((r, e) -> events.lost(channel));
          }
        }
      });
      StatefulRedisClusterConnection<byte[], byte[]> p = c.connect(ByteArrayCodec.INSTANCE);
      // Open the connection to every master before the first publish: Lettuce writes the commands
      // of a node
      // connection that is still being opened when it opens, and a later command can then overtake
      // an earlier
      // one, so one publisher's messages arrived out of order on a fresh cluster (seen in CI).
      for (RedisClusterNode node : p.getPartitions()) {
        if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
          p.getConnection(node.getNodeId());
        }
      }
      p.setAutoFlushCommands(false);
      s.addListener(new StateListener());
      this.client = c;
      this.sub = s;
      this.pub = p;
    } catch (RuntimeException e) {
      c.shutdown(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /**
   * SPUBLISH on the connection to the master that owns the channel's slot, as the client knows the topology now:
   * one TCP connection per master, so one server's messages of a channel reach Redis in the order they were sent.
   * (Handing them to the cluster connection's own routing reordered a publisher's first messages at times: Lettuce
   * may write a command whose node connection is still being resolved after a later one.) After a slot moved, Redis
   * answers MOVED to what was sent to the old owner; those publishes fail and count as dropped, and the topology is
   * refreshed.
   */
  @Override
  public CompletionStage<?> publish(byte[] channel, byte[] data) {
    RedisClusterNode owner = pub.getPartitions().getMasterBySlot(SlotHash.getSlot(channel));
    if (owner == null) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          "no master for slot " + SlotHash.getSlot(channel) + " of the cluster"));
    }
    CompletionStage<?> sent = pub.getConnection(owner.getNodeId()).async().spublish(channel, data);
    sent.exceptionally(e -> {
      if (String.valueOf(e.getMessage()).contains("MOVED")) {
        client.refreshPartitionsAsync();
      }
      return null;
    });
    return sent;
  }

  @Override
  public void flush() {
    pub.flushCommands();
  }

  /** The master that owns {@code channel}'s slot, as the client knows the topology now. */
  private CompletionStage<io.lettuce.core.pubsub.StatefulRedisPubSubConnection<byte[], byte[]>>
      owner(byte[] channel) {
    RedisClusterNode node = sub.getPartitions().getMasterBySlot(SlotHash.getSlot(channel));
    if (node == null) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          "no master for slot " + SlotHash.getSlot(channel) + " of the cluster"));
    }
    return sub.getConnectionAsync(node.getNodeId()).thenApply(c -> {
      if (watched.add(c)) {
        c.addListener(new StateListener());
      }
      return c;
    });
  }

  @Override
  public CompletionStage<?> subscribe(byte[] channel) {
    return owner(channel).thenCompose(c -> c.async().ssubscribe(channel));
  }

  @Override
  public CompletionStage<?> unsubscribe(byte[] channel) {
    leaving.add(Names.of(channel));
    return owner(channel).thenCompose(c -> c.async().sunsubscribe(channel));
  }

  @Override
  public CompletionStage<?> psubscribe(byte[] pattern) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException("sharded pub/sub has no patterns"));
  }

  @Override
  public CompletionStage<?> punsubscribe(byte[] pattern) {
    return psubscribe(pattern);
  }

  @Override
  public boolean patterns() {
    return false;
  }

  @Override
  public boolean ordered() {
    return false;
  }

  @Override
  public void close() {
    if (client != null) {
      client.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  /**
   * Down while any subscription connection (to a master that holds some of our channels, or the default one) is; up
   * again when all are. Not on the client as a whole: Lettuce's topology refresh opens and closes connections of its
   * own, which are no loss.
   */
  private final class StateListener implements RedisConnectionStateListener {
    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
      if (down.remove(connection) && down.isEmpty()) {
        events.up();
      }
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
      boolean first = down.isEmpty();
      if (down.add(connection) && first) {
        events.down("connection to " + connection + " lost");
      }
    }
  }
}
