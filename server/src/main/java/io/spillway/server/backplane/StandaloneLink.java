package io.spillway.server.backplane;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.spillway.server.config.BackplaneConfig;
import java.net.SocketAddress;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A standalone Redis: PUBLISH on one connection (commands pipelined, flushed by the backplane's thread), SUBSCRIBE and
 * PSUBSCRIBE on another. Up while both are connected; Lettuce reconnects each with the configured backoff.
 */
final class StandaloneLink implements RedisLink {

  private final BackplaneConfig config;
  private final ClientResources resources;
  private final Events events;
  private RedisClient client;
  private StatefulRedisConnection<byte[], byte[]> pub;
  private StatefulRedisPubSubConnection<byte[], byte[]> sub;
  /** Bit 0: the publishing connection is down; bit 1: the subscribing one. Guarded by this. */
  private int downMask;

  StandaloneLink(BackplaneConfig config, ClientResources resources, Events events) {
    this.config = config;
    this.resources = resources;
    this.events = events;
  }

  @Override
  public void connect() {
    RedisClient c = RedisClient.create(
        resources, LettuceOptions.uri(config, config.addresses().get(0)));
    c.setOptions(LettuceOptions.client(config));
    try {
      StatefulRedisPubSubConnection<byte[], byte[]> s = c.connectPubSub(ByteArrayCodec.INSTANCE);
      s.addListener(new RedisPubSubAdapter<byte[], byte[]>() {
        @Override
        public void message(byte[] channel, byte[] message) {
          events.message(channel, message);
        }

        @Override
        public void message(byte[] pattern, byte[] channel, byte[] message) {
          events.message(channel, message);
        }
      });
      StatefulRedisConnection<byte[], byte[]> p = c.connect(ByteArrayCodec.INSTANCE);
      p.setAutoFlushCommands(false);
      s.addListener(new StateListener(2));
      p.addListener(new StateListener(1));
      this.client = c;
      this.sub = s;
      this.pub = p;
    } catch (RuntimeException e) {
      c.shutdown(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  @Override
  public CompletionStage<?> publish(byte[] channel, byte[] data) {
    return pub.async().publish(channel, data);
  }

  @Override
  public void flush() {
    pub.flushCommands();
  }

  @Override
  public CompletionStage<?> subscribe(byte[] channel) {
    return sub.async().subscribe(channel);
  }

  @Override
  public CompletionStage<?> unsubscribe(byte[] channel) {
    return sub.async().unsubscribe(channel);
  }

  @Override
  public CompletionStage<?> psubscribe(byte[] pattern) {
    return sub.async().psubscribe(pattern);
  }

  @Override
  public CompletionStage<?> punsubscribe(byte[] pattern) {
    return sub.async().punsubscribe(pattern);
  }

  @Override
  public boolean patterns() {
    return true;
  }

  @Override
  public boolean ordered() {
    return true;
  }

  @Override
  public void close() {
    if (client != null) {
      client.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  /** Turns the two connections' states into one up or down. */
  private final class StateListener implements RedisConnectionStateListener {
    private final int bit;

    StateListener(int bit) {
      this.bit = bit;
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
      boolean nowUp;
      synchronized (StandaloneLink.this) {
        int before = downMask;
        downMask &= ~bit;
        nowUp = before != 0 && downMask == 0;
      }
      if (nowUp) {
        events.up();
      }
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
      boolean nowDown;
      synchronized (StandaloneLink.this) {
        nowDown = downMask == 0;
        downMask |= bit;
      }
      if (nowDown) {
        events.down((bit == 1 ? "publishing" : "subscribing") + " connection lost");
      }
    }
  }
}
