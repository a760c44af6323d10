package io.spillway.server.command;

import io.spillway.core.flow.PauseTally;
import io.spillway.core.time.NanoClock;
import io.spillway.server.broker.Broker;
import io.spillway.server.broker.IoLoop;
import io.spillway.server.client.ClientRegistry;
import io.spillway.server.config.ConfigParameters;
import io.spillway.server.config.LiveLimits;
import io.spillway.server.config.ServerConfig;
import io.spillway.server.metrics.ServerStats;

/**
 * What every connection's command handler shares: configuration (as started, and the part CONFIG SET may change),
 * broker, clients, counters, loops, and the CLIENT PAUSE state. Its fields are final; what they hold is thread-safe.
 */
public final class ServerContext {

  final ServerConfig config;
  final Broker broker;
  final ClientRegistry clients;
  final ServerStats stats;
  final IoLoop[] loops;
  final NanoClock clock;
  final PauseTally pauses;
  final String transport;
  final int boundPort;
  /** The limits CONFIG SET may change; every RESP client's outbox reads its limits from here. */
  final LiveLimits live;
  /** The clients in MONITOR mode. */
  final Monitors monitors = new Monitors();

  /** The limits CONFIG SET changes, for outboxes outside the RESP port (WebSocket). Any thread. */
  public io.spillway.server.outbox.LimitsSource liveLimits() {
    return live;
  }

  final ConfigParameters parameters;
  final CommandStats commandStats = new CommandStats();
  final ClientPause pause;
  final io.spillway.server.auth.Authenticator auth;
  /** The backplane's figures for INFO backplane; {@link io.spillway.server.backplane.BackplaneStatus#OFF} when none. */
  volatile java.util.function.Supplier<io.spillway.server.backplane.BackplaneStatus> backplane =
      () -> io.spillway.server.backplane.BackplaneStatus.OFF;

  /** Where INFO reads the backplane's figures. Once, at start. */
  public void backplane(
      java.util.function.Supplier<io.spillway.server.backplane.BackplaneStatus> status) {
    this.backplane = status;
  }

  public ServerContext(
      ServerConfig config,
      Broker broker,
      ClientRegistry clients,
      ServerStats stats,
      IoLoop[] loops,
      NanoClock clock,
      PauseTally pauses,
      String transport,
      int boundPort) {
    this(
        config,
        broker,
        clients,
        stats,
        loops,
        clock,
        pauses,
        transport,
        boundPort,
        new io.spillway.server.auth.Authenticator(
            config.requirePass(), config.aclUsers(), config.http().tokens(), clock));
  }

  /** As above, with the authenticator the HTTP port shares (so failed attempts are counted across both ports). */
  public ServerContext(
      ServerConfig config,
      Broker broker,
      ClientRegistry clients,
      ServerStats stats,
      IoLoop[] loops,
      NanoClock clock,
      PauseTally pauses,
      String transport,
      int boundPort,
      io.spillway.server.auth.Authenticator auth) {
    this.auth = auth;
    this.config = config;
    this.broker = broker;
    this.clients = clients;
    this.stats = stats;
    this.loops = loops.clone();
    this.clock = clock;
    this.pauses = pauses;
    this.transport = transport;
    this.boundPort = boundPort;
    this.live = new LiveLimits(config);
    this.parameters = new ConfigParameters(live);
    this.pause = new ClientPause(clock);
  }

  /** Bytes of messages handed from one loop to another and not yet delivered, summed over the loops. */
  long deliveryBacklogBytes() {
    long sum = 0;
    for (IoLoop l : loops) {
      sum += l.backlogBytes();
    }
    return sum;
  }

  /** Messages accepted into subscribers' outboxes, summed over the loops. */
  long messagesDelivered() {
    long sum = 0;
    for (IoLoop l : loops) {
      sum += l.delivered();
    }
    return sum;
  }
}
