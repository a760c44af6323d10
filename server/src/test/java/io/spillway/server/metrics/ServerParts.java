package io.spillway.server.metrics;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.spillway.core.time.ManualClock;
import io.spillway.server.TestBrokers;
import io.spillway.server.broker.Broker;
import io.spillway.server.broker.IoLoop;
import io.spillway.server.client.ClientRegistry;
import io.spillway.server.client.ClientSession;
import io.spillway.server.client.ReadGate;
import io.spillway.server.config.ServerConfig;
import io.spillway.server.outbox.OutboxHandler;
import java.util.ArrayList;
import java.util.List;

/**
 * The real objects SpillwayMetrics reads (stats, client registry, broker, two loops), over embedded channels, with
 * clients whose queued output the test chooses. Close it to release every channel.
 */
final class ServerParts implements AutoCloseable {

  /** A socket that takes nothing: flushes stop here, so what the outbox hands it stays queued. */
  private static final class StalledSocket extends io.netty.channel.ChannelOutboundHandlerAdapter {
    @Override
    public void flush(io.netty.channel.ChannelHandlerContext ctx) {}
  }

  private static final ReadGate NO_GATE = new ReadGate() {
    @Override
    public void pauseReads() {}

    @Override
    public void resumeReads() {}
  };

  final ManualClock clock = new ManualClock();
  final ServerConfig config = ServerConfig.builder().port(0).build();
  final ServerStats stats = new ServerStats();
  final ClientRegistry clients = new ClientRegistry(100);
  final List<EmbeddedChannel> channels = new ArrayList<>();
  final IoLoop[] loops =
      TestBrokers.loops(newChannel().eventLoop(), newChannel().eventLoop());
  final Broker broker = TestBrokers.broker(loops, stats);

  private EmbeddedChannel newChannel() {
    EmbeddedChannel ch = new EmbeddedChannel();
    channels.add(ch);
    return ch;
  }

  /** Connects a client speaking RESP{@code protocol} on loop 0 with {@code queuedBytes} written and not flushed. */
  ClientSession client(int protocol, int queuedBytes) {
    OutboxHandler outbox = new OutboxHandler(
        config.subscriberLimits(), config.normalLimits(), 16 * 1024, stats, clock);
    EmbeddedChannel ch = new EmbeddedChannel(new StalledSocket(), outbox);
    channels.add(ch);
    ClientSession session = ClientSession.open(
        clients,
        broker,
        stats.publisherPauses(),
        ch.pipeline().firstContext(),
        loops[0],
        outbox,
        NO_GATE,
        protocol == 0 ? ClientSession.WEBSOCKET : 2);
    session.protocol(protocol);
    if (queuedBytes > 0) {
      // Written and never flushed: it waits in the outbox, whose state the loop publishes on its
      // tick.
      ch.write(Unpooled.wrappedBuffer(new byte[queuedBytes]));
      outbox.tick();
    }
    return session;
  }

  SpillwayMetrics metrics(AdmissionView admission) {
    return new SpillwayMetrics(stats, clients, broker, loops, admission, clock);
  }

  @Override
  public void close() {
    for (EmbeddedChannel ch : channels) {
      ch.finishAndReleaseAll();
    }
  }
}
