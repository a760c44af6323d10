package io.spillway.server;

import io.netty.channel.EventLoop;
import io.spillway.core.flow.BacklogPolicy;
import io.spillway.server.broker.Broker;
import io.spillway.server.broker.ChannelHold;
import io.spillway.server.broker.FrameEncoder;
import io.spillway.server.broker.IoLoop;
import io.spillway.server.broker.Publisher;
import io.spillway.server.broker.Subscriber;
import io.spillway.server.config.ServerConfig;
import io.spillway.server.metrics.ServerStats;

/** Brokers and loops for tests, wired as {@link SpillwayServer} wires them. */
public final class TestBrokers {

  private TestBrokers() {}

  /** One loop per event loop, with the default backlog marks. */
  public static IoLoop[] loops(EventLoop... eventLoops) {
    IoLoop[] loops = new IoLoop[eventLoops.length];
    for (int i = 0; i < loops.length; i++) {
      loops[i] = new IoLoop(i, eventLoops[i], BacklogPolicy.DEFAULT);
    }
    return loops;
  }

  /** A broker over {@code loops} with the server's encoders and {@code config}'s limits. */
  public static Broker broker(IoLoop[] loops, ServerConfig config, ServerStats stats) {
    return new Broker(
        loops,
        SpillwayServer.frameEncoders(),
        stats,
        config.maxMessageSize().toBytes(),
        config.maxChannelLength().toBytes(),
        Broker.chunkBytesFor(config.subscriberLimits()),
        config.channelPolicies());
  }

  /** A publisher on {@code loop} that subscribes to nothing and ignores pushback (as the HTTP API's). */
  public static Publisher publisher(IoLoop loop) {
    return new Publisher() {
      @Override
      public IoLoop loop() {
        return loop;
      }

      @Override
      public Subscriber self() {
        return null;
      }

      @Override
      public void pushedBack(IoLoop congested) {}

      @Override
      public void held(ChannelHold hold) {}
    };
  }

  /** The server's encoders, by frame kind. */
  public static FrameEncoder[] encoders() {
    return SpillwayServer.frameEncoders();
  }

  /** A broker with the default configuration. */
  public static Broker broker(IoLoop[] loops, ServerStats stats) {
    return broker(loops, ServerConfig.defaults(), stats);
  }
}
