package io.spillway.server.metrics;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.spillway.core.time.ManualClock;
import io.spillway.server.broker.Broker;
import io.spillway.server.client.ClientRegistry;
import io.spillway.server.client.ClientSession;
import io.spillway.server.client.IoLoop;
import io.spillway.server.config.ServerConfig;
import io.spillway.server.outbox.OutboxHandler;
import java.util.ArrayList;
import java.util.List;

/**
 * The real objects SpillwayMetrics reads (stats, client registry, broker, two loops), over embedded channels, with
 * clients whose queued output the test chooses. Close it to release every channel.
 */
final class ServerParts implements AutoCloseable {

  final ManualClock clock = new ManualClock();
  final ServerConfig config = ServerConfig.builder().port(0).build();
  final ServerStats stats = new ServerStats();
  final ClientRegistry clients = new ClientRegistry(100);
  final List<EmbeddedChannel> channels = new ArrayList<>();
  final IoLoop[] loops = {new IoLoop(0, newChannel().eventLoop()), new IoLoop(1, newChannel().eventLoop())};
  final Broker broker = new Broker(loops);

  private EmbeddedChannel newChannel() {
    EmbeddedChannel ch = new EmbeddedChannel();
    channels.add(ch);
    return ch;
  }

  /** Connects a client speaking RESP{@code protocol} on loop 0 with {@code queuedBytes} written and not flushed. */
  ClientSession client(int protocol, int queuedBytes) {
    OutboxHandler outbox = new OutboxHandler(config.subscriberLimits(), config.normalLimits(), stats, clock);
    EmbeddedChannel ch = new EmbeddedChannel(outbox);
    channels.add(ch);
    ClientSession session = new ClientSession(clients.nextId(), ch, loops[0], outbox);
    outbox.owner(session);
    session.protocol(protocol);
    clients.add(session);
    if (queuedBytes > 0) {
      ch.write(Unpooled.wrappedBuffer(new byte[queuedBytes]));
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
