package io.spillway.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;
import io.spillway.core.config.DurationParser;
import io.spillway.core.outbox.ChannelPolicy;
import io.spillway.core.time.NanoClock;
import io.spillway.server.auth.Authenticator;
import io.spillway.server.backplane.Backplane;
import io.spillway.server.backplane.BackplaneStatus;
import io.spillway.server.broker.Broker;
import io.spillway.server.broker.FrameEncoder;
import io.spillway.server.broker.IoLoop;
import io.spillway.server.client.ClientRegistry;
import io.spillway.server.client.ClientSession;
import io.spillway.server.command.CommandHandler;
import io.spillway.server.command.ServerContext;
import io.spillway.server.config.KernelShare;
import io.spillway.server.config.ServerConfig;
import io.spillway.server.config.TlsConfig;
import io.spillway.server.http.HttpAdmissionView;
import io.spillway.server.http.HttpServer;
import io.spillway.server.http.MetricsObserver;
import io.spillway.server.metrics.ServerStats;
import io.spillway.server.metrics.SpillwayMetrics;
import io.spillway.server.outbox.OutboxHandler;
import io.spillway.server.outbox.OutputBudget;
import io.spillway.server.resp.RespFrames;
import io.spillway.server.resp.RespRequestDecoder;
import io.spillway.server.tls.ServerTls;
import io.spillway.server.tls.TlsInitializer;
import io.spillway.server.ws.WebSocketEndpoint;
import io.spillway.server.ws.WebSocketFrames;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Spillway server: the RESP port on Netty event loops (native epoll where available, NIO otherwise).
 * Thread-safe.
 */
public final class SpillwayServer implements AutoCloseable {

  /*
   * Netty counts 96 bytes of bookkeeping per queued message into a channel's pending bytes unless told otherwise.
   * The outbox policy reads that count as "bytes queued for the client", so make it exact bytes. This must happen
   * before ChannelOutboundBuffer is loaded, which is why it is in this class's static initialiser; an embedding
   * application that loaded Netty first gets queued counts that include the overhead (stricter, never looser).
   */
  static {
    if (System.getProperty("io.netty.transport.outboundBufferEntrySizeOverhead") == null) {
      System.setProperty("io.netty.transport.outboundBufferEntrySizeOverhead", "0");
    }
    /*
     * Netty's Recycler (which pools the small objects of a write: outbound entries, derived and pooled buffers) is
     * left at Netty's default. It was turned off while every message was one Netty write per subscriber: then it was
     * the largest cost in a fan-out profile (~30 % of CPU at 100 subscribers). Since the outbox hands a subscriber's
     * messages to Netty as one gathered write per turn, it costs nothing measurable (100 subscribers at 128 B, 5
     * rounds each way side by side: on/off 0.97x, off/on 0.98x), and it takes the allocation per delivered message per
     * subscriber at 1 subscriber from 1.9 bytes to 0.5 (PublishAllocationProbe). Set
     * -Dio.netty.recycler.maxCapacityPerThread=0 to turn it off.
     */
    /*
     * Leak detection makes the pipeline "touch" every message it writes, even at the default sampling level: 11 % of
     * CPU in a fan-out profile. The test suite runs with paranoid detection and fails on any leak; a server started
     * here runs without it unless told otherwise (-Dio.netty.leakDetection.level=simple).
     */
    if (System.getProperty("io.netty.leakDetection.level") == null
        && System.getProperty("io.netty.leakDetectionLevel") == null) {
      System.setProperty("io.netty.leakDetection.level", "disabled");
    }
  }

  private static final Logger log = LoggerFactory.getLogger(SpillwayServer.class);

  /**
   * The most one connection's read takes per loop turn: two of the broker's chunks (a chunk is a quarter of the
   * subscriber hard limit within [16 KiB, 64 KiB]), so 32 KiB at the default 64 KiB limit. A publisher's pipelined
   * PUBLISHes read in one turn reach every subscriber as one burst of about that many bytes (in runs of one chunk), so
   * the read must stay small beside the hard limit: a flat-out publisher's 64 KiB reads cut 3 of 100 default
   * subscribers at 1 KiB messages. With the outbox's two-quantum writes a 32 KiB read reaches each subscriber as one
   * system call: measured side by side with redis-server, 1 KiB to 100 default subscribers, 16 KiB reads delivered
   * 1.30x redis-server's messages/s and lost 2 302 (3 subscribers cut); 32 KiB reads 1.73x and lost none. With roomier
   * limits a larger read means fewer, larger writes to every subscriber (64 KiB reads and chunks delivered 1.64x the
   * messages/s of 16 KiB ones, 1 KiB to 100 subscribers, with less server CPU).
   */
  static int readBytesFor(ServerConfig config) {
    return 2 * Broker.chunkBytesFor(config.subscriberLimits());
  }

  /**
   * How many bytes of a {@code block} channel's messages may be in flight to its subscribers before its publishers
   * pause: the subscriber hard limit (64 KiB at the defaults), at least one chunk. A publisher learns that a
   * subscriber holds the channel back only once its earlier messages were delivered, so what is in flight then still
   * reaches that subscriber: block messages may take it past its hard limit by up to one hard limit more (the
   * outbox's allowance for them). A smaller window pauses publishers more often: 6 KiB delivered 0.29x
   * redis-server's messages/s to 10 fast subscribers at 1 KiB, 16 KiB 0.55x, 64 KiB 0.83x (one run each).
   */
  static long blockWindowBytes(io.spillway.core.outbox.OutboxLimits subscriber) {
    return Math.max(Broker.MIN_CHUNK_BYTES, subscriber.hardLimit().toBytes());
  }

  private final ServerConfig config;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final IoLoop[] loops;
  private final OutputBudget outputBudget;
  private final ClientRegistry clients;
  private final ServerStats stats;
  private final SpillwayMetrics metrics;
  private final Channel serverChannel;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicBoolean closing = new AtomicBoolean();
  private final String transport;
  private final Authenticator auth;
  /** The RESP-over-TLS listener; null when tls-port is off. */
  private final Channel tlsChannel;

  private final HttpServer http;
  /** The link to other servers; null when backplane is off. */
  private final Backplane backplane;

  private SpillwayServer(ServerConfig config, NanoClock clock) throws InterruptedException {
    this.config = config;
    this.stats = new ServerStats(clock);
    boolean epoll = Epoll.isAvailable();
    this.transport = epoll ? "epoll" : "nio";
    this.boss = epoll
        ? new EpollEventLoopGroup(1, threads("spillway-accept"))
        : new NioEventLoopGroup(1, threads("spillway-accept"));
    this.workers = epoll
        ? new EpollEventLoopGroup(config.ioThreads(), threads("spillway-io"))
        : new NioEventLoopGroup(config.ioThreads(), threads("spillway-io"));
    List<IoLoop> list = new ArrayList<>();
    IdentityHashMap<EventLoop, IoLoop> byLoop = new IdentityHashMap<>();
    this.outputBudget = new OutputBudget(config.maxOutputMemory().toBytes());
    for (EventExecutor e : workers) {
      IoLoop loop = new IoLoop(list.size(), (EventLoop) e, config.backlogPolicy());
      loop.budget(outputBudget.newLease());
      list.add(loop);
      byLoop.put((EventLoop) e, loop);
    }
    this.loops = list.toArray(new IoLoop[0]);
    this.clients = new ClientRegistry(config.maxClients());
    int chunkBytes = Broker.chunkBytesFor(config.subscriberLimits());
    Broker broker = new Broker(
        loops,
        frameEncoders(),
        stats,
        config.maxMessageSize().toBytes(),
        config.maxChannelLength().toBytes(),
        chunkBytes,
        config.channelPolicies());
    broker.maxSubscriptionBytes(config.maxSubscriptionMemory().toBytes());
    broker.blockWindowBytes(blockWindowBytes(config.subscriberLimits()));
    broker.blockPauses(stats.blockPauses());
    broker.maxPatternMatchCost(config.maxPatternMatchCost());
    this.backplane = config.backplane().enabled()
        ? Backplane.start(config.backplane(), broker, loops, clock)
        : null;
    HttpAdmissionView admissionView = config.http().enabled() ? new HttpAdmissionView() : null;
    this.metrics = new SpillwayMetrics(stats, clients, broker, loops, admissionView, clock);
    if (backplane != null) {
      metrics.backplane(backplane::status);
    }
    ServerContext[] context = new ServerContext[1];
    this.auth =
        new Authenticator(config.requirePass(), config.aclUsers(), config.http().tokens(), clock);

    ServerBootstrap b = new ServerBootstrap()
        .group(boss, workers)
        .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, !config.tcpKeepalive().isZero())
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            OutboxHandler outbox = new OutboxHandler(
                config.subscriberLimits(), config.normalLimits(), chunkBytes, stats, clock);
            outbox.budget(byLoop.get(ch.eventLoop()).budget());
            RespRequestDecoder decoder = new RespRequestDecoder(
                config.maxBulkLength().toIntBytes(),
                config.maxArguments(),
                config.maxInlineLength().toIntBytes(),
                config.maxRequestSize().toBytes());
            ChannelPipeline p = ch.pipeline();
            p.addLast("outbox", outbox);
            p.addLast("decoder", decoder);
            p.addLast(
                "commands",
                new CommandHandler(context[0], byLoop.get(ch.eventLoop()), outbox, decoder));
          }
        });
    if (config.socketSendBuffer().toBytes() > 0) {
      b.childOption(ChannelOption.SO_SNDBUF, config.socketSendBuffer().toIntBytes());
    }
    if (config.tcpNotsentLowat().toBytes() > 0) {
      if (epoll) {
        b.childOption(
            EpollChannelOption.TCP_NOTSENT_LOWAT, config.tcpNotsentLowat().toBytes());
      } else {
        log.warn(
            "tcp-notsent-lowat needs the native epoll transport, which is not available here: the kernel's"
                + " unsent share is bounded only by socket-send-buffer");
      }
    }
    // One read per connection per loop turn, and level-triggered epoll so that the rest of a burst
    // is found by the
    // next epoll_wait, in turn with every other ready connection. (Edge-triggered, Netty finishes a
    // burst in tasks,
    // and its task runner looks at the clock only every 64 tasks: a client pipelining megabytes
    // held its loop for
    // hundreds of milliseconds.) The same fairness Redis gets from one read per client per
    // event-loop turn.
    b.childOption(
        ChannelOption.RCVBUF_ALLOCATOR,
        new AdaptiveRecvByteBufAllocator(64, 1024, readBytesFor(config)).maxMessagesPerRead(1));
    if (epoll) {
      b.childOption(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED);
    }
    keepalive(b, epoll);
    this.serverChannel = b.bind(config.bind(), config.port()).sync().channel();
    this.tlsChannel = config.tls().port() == TlsConfig.OFF
        ? null
        : b.clone()
            .childHandler(
                new TlsInitializer(ServerTls.context(config.tls()), b.config().childHandler()))
            .bind(config.bind(), config.tls().port())
            .sync()
            .channel();
    int port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
    context[0] = new ServerContext(
        config,
        broker,
        clients,
        stats,
        loops,
        clock,
        stats.publisherPauses(),
        transport,
        port,
        auth);
    if (backplane != null) {
      context[0].backplane(backplane::status);
    }
    for (IoLoop loop : loops) {
      loop.startTicking(config.policyTick().toNanos());
    }
    this.http = config.http().enabled()
        ? startHttp(broker, byLoop, clock, epoll, context[0].liveLimits())
        : null;
    if (http != null) {
      admissionView.bind(http);
    }
  }

  private HttpServer startHttp(
      Broker broker,
      IdentityHashMap<EventLoop, IoLoop> byLoop,
      NanoClock clock,
      boolean epoll,
      io.spillway.server.outbox.LimitsSource liveLimits)
      throws InterruptedException {
    HttpServer.Parts parts = new HttpServer.Parts()
        .server(config, clock, broker, clients, stats, loops, byLoop::get)
        .observer(new MetricsObserver(metrics))
        .metrics(metrics::scrape)
        .auth(auth)
        .backplane(backplane != null ? backplane::status : () -> BackplaneStatus.OFF)
        .webSocket(new WebSocketEndpoint(
                config, broker, clients, stats, clock, stats.publisherPauses(), byLoop::get)
            .liveLimits(liveLimits)::upgrade);
    return HttpServer.start(
        parts,
        boss,
        workers,
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
  }

  /** The broker's encoders, in the order of {@link ClientSession}'s frame kinds. */
  public static FrameEncoder[] frameEncoders() {
    FrameEncoder[] encoders = new FrameEncoder[3];
    encoders[ClientSession.KIND_RESP2] = RespFrames.RESP2;
    encoders[ClientSession.KIND_RESP3] = RespFrames.RESP3;
    encoders[ClientSession.KIND_WEBSOCKET] = WebSocketFrames.ENCODER;
    return encoders;
  }

  private void keepalive(ServerBootstrap b, boolean epoll) {
    if (config.tcpKeepalive().isZero()) {
      return;
    }
    int idle = (int) Math.max(1, config.tcpKeepalive().toSeconds());
    int interval = Math.max(1, Math.min(idle, 10));
    if (epoll) {
      b.childOption(EpollChannelOption.TCP_KEEPIDLE, idle)
          .childOption(EpollChannelOption.TCP_KEEPINTVL, interval)
          .childOption(EpollChannelOption.TCP_KEEPCNT, 6);
    } else {
      b.childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), idle)
          .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), interval)
          .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), 6);
    }
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(false);
      return t;
    };
  }

  /** Binds every port and returns once the server accepts clients; logs the worst-case output memory. */
  public static SpillwayServer start(ServerConfig config) throws InterruptedException {
    return start(config, NanoClock.SYSTEM);
  }

  /** As {@link #start(ServerConfig)}, with the clock every policy reads. */
  public static SpillwayServer start(ServerConfig config, NanoClock clock)
      throws InterruptedException {
    SpillwayServer server = new SpillwayServer(config, clock);
    log.info(
        "Spillway {} listening on {}:{} ({}, {} io threads)",
        "0.1.0",
        config.bind(),
        server.port(),
        server.transport,
        config.ioThreads());
    if (server.http != null) {
      log.info(
          "HTTP API, WebSocket and /metrics on {}:{} (admission {}, {} workers, queue {})",
          config.bind(),
          server.http.port(),
          config.http().admission() ? "on" : "OFF",
          config.admission().workers(),
          config.http().admission()
              ? String.valueOf(config.admission().queueCapacity())
              : "unbounded");
    }
    log.info(worstCaseLine(config));
    log.info(channelPoliciesLine(config));
    log.info(Broker.patternMatchingLine(
        config.maxChannelLength().toBytes(), config.maxPatternMatchCost()));
    log.info(server.auth.exposureLine(
        server.port(), server.tlsPort(), server.http != null ? server.http.port() : -1));
    if (config.tls().enabled()) {
      log.info(
          "TLS ({}): RESP on {}:{}{}",
          ServerTls.providerName(),
          config.bind(),
          server.tlsPort() >= 0 ? server.tlsPort() : "(off)",
          config.tls().http() ? ", HTTP port is https/wss" : "");
    }
    long outboxes = (long) config.maxClients()
        * Math.max(
            config.subscriberLimits().hardLimit().toBytes(),
            config.normalLimits().hardLimit().toBytes());
    long direct = PlatformDependent.maxDirectMemory();
    if (direct > 0 && outboxes > direct / 2) {
      log.warn(
          "max-clients x hard limit = {} bytes of outbox is more than half of the JVM's direct memory ({} bytes):"
              + " raise -XX:MaxDirectMemorySize (SPILLWAY_JAVA_OPTS) or lower the limits",
          outboxes,
          direct);
    }
    return server;
  }

  /** The start-up line that states the most output memory all clients together can hold. */
  public static String worstCaseLine(ServerConfig config) {
    return KernelShare.of(config).worstCaseLine(config);
  }

  /**
   * The start-up line that states each channel policy with the bound it keeps, in the order they are matched, ending
   * with the default ({@code *=disconnect}) unless a configured pattern {@code *} already covers every channel.
   */
  static String channelPoliciesLine(ServerConfig config) {
    io.spillway.core.outbox.OutboxLimits limits = config.subscriberLimits();
    long hard = limits.hardLimit().toBytes();
    StringBuilder b =
        new StringBuilder("channel policies (the first whose pattern matches wins): ");
    boolean catchAll = false;
    List<ChannelPolicy> policies = new ArrayList<>(config.channelPolicies());
    for (ChannelPolicy p : policies) {
      catchAll |= p.pattern().equals("*");
    }
    if (!catchAll) {
      policies.add(ChannelPolicy.DEFAULT);
    }
    for (int i = 0; i < policies.size(); i++) {
      ChannelPolicy p = policies.get(i);
      b.append(i == 0 ? "" : "; ")
          .append(p.pattern())
          .append('=')
          .append(p.strategy().label());
      switch (p.strategy()) {
        case DISCONNECT ->
          b.append(" (cut at ")
              .append(hard)
              .append(" bytes queued, or above ")
              .append(limits.softLimit().toBytes())
              .append(" for ")
              .append(DurationParser.format(limits.softWindow()))
              .append(')');
        case BLOCK ->
          b.append(" (publishers paused while a subscriber is above its soft limit or ")
              .append(blockWindowBytes(limits))
              .append(
                  " bytes are in flight to an event loop; the subscriber holding it back cut after max-block ")
              .append(DurationParser.format(p.maxBlock()))
              .append("; a subscriber holds at most ")
              .append(2 * hard)
              .append(" bytes)");
        default ->
          b.append(" (drops within ")
              .append(hard)
              .append(" bytes per subscriber, told in gap notices)");
      }
      if (!catchAll && i == policies.size() - 1) {
        b.append(", the default");
      }
    }
    return b.append("; all outboxes together at most ")
        .append(config.maxOutputMemory().toBytes())
        .append(" bytes (max-output-memory)")
        .toString();
  }

  /** The RESP port actually bound (useful with port 0). */
  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** The RESP-over-TLS port actually bound; -1 when {@code tls-port} is off. */
  public int tlsPort() {
    return tlsChannel == null ? -1 : ((InetSocketAddress) tlsChannel.localAddress()).getPort();
  }

  /** The HTTP port, or null when {@code http-port} is -1. */
  public HttpServer http() {
    return http;
  }

  public ServerConfig config() {
    return config;
  }

  /** Counters, for tests and embedding applications. */
  /** The server-wide output budget (max-output-memory) and its use. Any thread. */
  public OutputBudget outputBudget() {
    return outputBudget;
  }

  public ServerStats stats() {
    return stats;
  }

  /** The server's Prometheus metrics ({@link SpillwayMetrics#scrape()}). */
  public SpillwayMetrics metrics() {
    return metrics;
  }

  /** The backplane's figures; {@link BackplaneStatus#OFF} when there is none. */
  public BackplaneStatus backplane() {
    return backplane != null ? backplane.status() : BackplaneStatus.OFF;
  }

  /** Currently connected clients. */
  public int connectedClients() {
    return clients.connected();
  }

  /** Bytes queued for all clients together (approximate: read from other threads). */
  public long queuedBytes() {
    long total = 0;
    for (ClientSession c : clients.all()) {
      total += c.outbox().state().queuedBytes();
    }
    return total;
  }

  /** Graceful shutdown: stop accepting, close every client, release the event loops. Idempotent. */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      awaitQuietly();
      return;
    }
    log.info(
        "shutting down: closing the listeners, draining {} clients (at most {})",
        clients.connected(),
        config.shutdownDrain());
    serverChannel.close().syncUninterruptibly();
    if (tlsChannel != null) {
      tlsChannel.close().syncUninterruptibly();
    }
    if (http != null) {
      http.close();
    }
    long drained = drain(config.shutdownDrain().toNanos());
    if (backplane != null) {
      backplane.close();
    }
    for (IoLoop loop : loops) {
      loop.eventLoop().execute(loop::stopTicking);
    }
    List<io.netty.channel.ChannelFuture> closing = new ArrayList<>();
    for (ClientSession c : clients.all()) {
      if (c.isWebSocket()) {
        // 1001 going away: the server is shutting down, after everything queued for the client.
        c.channel()
            .eventLoop()
            .execute(() -> c.reply(WebSocketFrames.goingAway(c.channel().alloc())));
        c.channel().eventLoop().execute(() -> c.channel().flush());
      }
      closing.add(c.channel().close()); // runs on the loop after the close frame above
    }
    for (io.netty.channel.ChannelFuture f : closing) {
      f.awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
    log.info(
        "drained in {} ms; {} bytes were still queued for clients that did not read",
        drained / 1_000_000,
        lastPending);
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    log.info("shut down");
    closed.countDown();
  }

  private volatile long lastPending;

  /**
   * Stops reading every client's requests, then waits until every loop has handed its clients everything queued
   * (delivery backlogs and outboxes empty) or {@code maxNanos} have passed. Returns the time it took.
   */
  private long drain(long maxNanos) {
    long start = System.nanoTime();
    for (ClientSession c : clients.all()) {
      c.channel().eventLoop().execute(c::stopReading);
    }
    long deadline = start + maxNanos;
    while (true) {
      long pending = 0;
      for (IoLoop loop : loops) {
        try {
          pending += loop.eventLoop().submit(loop::pendingOutput).get(1, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException e) {
          pending += 1;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return System.nanoTime() - start;
        }
      }
      lastPending = pending;
      if (pending == 0 || System.nanoTime() - deadline >= 0) {
        return System.nanoTime() - start;
      }
      try {
        Thread.sleep(10); // a poll of the loops' own figures, bounded by the drain time
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return System.nanoTime() - start;
      }
    }
  }

  private void awaitQuietly() {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Blocks until {@link #close()} has completed. */
  public void awaitClosed() throws InterruptedException {
    closed.await();
  }
}
