package io.spillway.server.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.spillway.core.admission.AdmissionController;
import io.spillway.core.admission.RateLimitSettings;
import io.spillway.core.admission.RateLimiter;
import io.spillway.core.time.NanoClock;
import io.spillway.server.broker.Broker;
import io.spillway.server.broker.IoLoop;
import io.spillway.server.client.ClientRegistry;
import io.spillway.server.config.HttpConfig;
import io.spillway.server.config.ServerConfig;
import io.spillway.server.metrics.ServerStats;
import io.spillway.server.tls.ServerTls;
import io.spillway.server.tls.TlsInitializer;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The HTTP port, on the same event loops as the RESP port (so a WebSocket subscriber is served like a RESP one, and
 * a publish reaches the broker from an event loop), with its own worker pool behind the admission queue.
 * Thread-safe.
 */
public final class HttpServer implements AutoCloseable {

  private final HttpConfig config;
  private final WorkQueue queue;
  private final AdmissionController<Exchange> controller;
  private final ApiRoutes routes;
  private final HttpWorkers workers;
  private final HttpConnectionGuard guard;
  private final DashboardFeed dashboard;
  private final Channel channel;
  private final ScheduledFuture<?> sweeper;

  /** How often queued requests are checked for passed deadlines: the lateness of a 504, at most. */
  static final long SWEEP_MILLIS = 10;

  /** What the HTTP port needs of the rest of the server. */
  public static final class Parts {
    ServerConfig config;
    NanoClock clock;
    Broker broker;
    ClientRegistry clients;
    ServerStats stats;
    IoLoop[] loops;
    Function<EventLoop, IoLoop> loopOf;
    HttpObserver observer = HttpObserver.NONE;
    Supplier<byte[]> metrics = () -> new byte[0];
    WebSocketUpgradeHandler webSocket;
    io.spillway.server.auth.Authenticator auth;
    Supplier<io.spillway.server.backplane.BackplaneStatus> backplane =
        () -> io.spillway.server.backplane.BackplaneStatus.OFF;

    /** The backplane's figures, which /readyz shows. */
    public Parts backplane(Supplier<io.spillway.server.backplane.BackplaneStatus> backplane) {
      this.backplane = backplane;
      return this;
    }

    public Parts server(
        ServerConfig config,
        NanoClock clock,
        Broker broker,
        ClientRegistry clients,
        ServerStats stats,
        IoLoop[] loops,
        Function<EventLoop, IoLoop> loopOf) {
      this.config = config;
      this.clock = clock;
      this.broker = broker;
      this.clients = clients;
      this.stats = stats;
      this.loops = loops;
      this.loopOf = loopOf;
      return this;
    }

    public Parts observer(HttpObserver observer) {
      this.observer = observer;
      return this;
    }

    public Parts metrics(Supplier<byte[]> metrics) {
      this.metrics = metrics;
      return this;
    }

    /** The authenticator the RESP port uses too (one count of failed attempts per address); else a new one. */
    public Parts auth(io.spillway.server.auth.Authenticator auth) {
      this.auth = auth;
      return this;
    }

    /** The WebSocket endpoint: {@code (ctx, request, channels) -> ...}, called on the connection's event loop. */
    public Parts webSocket(WebSocketUpgradeHandler webSocket) {
      this.webSocket = webSocket;
      return this;
    }
  }

  /** The WebSocket endpoint as the HTTP router sees it. */
  public interface WebSocketUpgradeHandler {
    void upgrade(
        io.netty.channel.ChannelHandlerContext ctx,
        io.netty.handler.codec.http.FullHttpRequest request,
        java.util.List<String> channels);
  }

  private HttpServer(
      Parts parts, EventLoopGroup boss, EventLoopGroup group, Class<? extends ServerChannel> type)
      throws InterruptedException {
    this.config = parts.config.http();
    this.routes = new ApiRoutes(
        parts.broker, parts.clients, parts.stats, parts.loops, parts.loopOf, parts.clock);
    if (config.admission()) {
      AdmissionWorkQueue q = new AdmissionWorkQueue(
          listener -> new AdmissionController<>(parts.config.admission(), parts.clock, listener));
      this.controller = q.controller();
      this.queue = q;
    } else {
      this.controller = null;
      this.queue = new UnboundedWorkQueue(parts.config.admission().workers());
    }
    routes.queue(queue);
    this.dashboard = new DashboardFeed(
        routes,
        parts.clock,
        // Queued output is held to max-output-memory: the budget the dashboard draws it against.
        parts.config.maxOutputMemory().toBytes(),
        group);
    HttpObserver observer = dashboard.observing(parts.observer);
    RateLimiter limiter = config.rateLimit() > 0
        ? new RateLimiter(
            RateLimitSettings.builder()
                .ratePerSecond(config.rateLimit())
                .burst(config.rateBurst() > 0 ? config.rateBurst() : config.rateLimit())
                .build(),
            parts.clock)
        : null;
    HttpApi api = new HttpApi(
        parts.config,
        parts.broker,
        queue,
        limiter,
        observer,
        parts.clock,
        parts.webSocket != null ? parts.webSocket : HttpServer::noWebSocket,
        parts.metrics,
        () -> controller != null && controller.shedding(),
        parts.auth != null
            ? parts.auth
            : new io.spillway.server.auth.Authenticator(
                parts.config.requirePass(),
                parts.config.aclUsers(),
                parts.config.http().tokens(),
                parts.clock));
    api.dashboard = new DashboardRoutes(api, dashboard, parts.clients);
    api.backplane = parts.backplane;
    this.guard = new HttpConnectionGuard(config.maxConnections(), observer);
    this.workers = new HttpWorkers(parts.config.admission().workers(), queue, routes);
    workers.start();
    if (controller != null) {
      // Queued requests whose deadline passes (or that CoDel finds overdue) are answered at once,
      // even while every
      // worker is busy, rather than when a worker next looks at the queue.
      this.sweeper = group
          .next()
          .scheduleAtFixedRate(
              controller::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    } else {
      this.sweeper = null;
    }
    this.channel = new ServerBootstrap()
        .group(boss, group)
        .channel(type)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(
            parts.config.tls().http()
                ? new TlsInitializer(
                    ServerTls.context(parts.config.tls()), new HttpServerPipeline(api, guard))
                : new HttpServerPipeline(api, guard))
        .bind(parts.config.bind(), config.port())
        .sync()
        .channel();
  }

  private static void noWebSocket(
      io.netty.channel.ChannelHandlerContext ctx,
      io.netty.handler.codec.http.FullHttpRequest request,
      java.util.List<String> channels) {
    ctx.close();
  }

  /** Binds the HTTP port on {@code boss}/{@code group} and starts the workers. */
  public static HttpServer start(
      Parts parts, EventLoopGroup boss, EventLoopGroup group, Class<? extends ServerChannel> type)
      throws InterruptedException {
    return new HttpServer(parts, boss, group, type);
  }

  /** The port actually bound. */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** The admission controller; null when admission is off. For metrics and tests. */
  public AdmissionController<?> admission() {
    return controller;
  }

  /** The work queue's figures, as the metrics read them. */
  WorkQueue queue() {
    return queue;
  }

  /** Open HTTP and WebSocket connections. */
  public int openConnections() {
    return guard.open();
  }

  /** For tests in this package: the routes the workers run. */
  ApiRoutes routes() {
    return routes;
  }

  /** Stops accepting, then stops the workers (queued requests are not answered; their connections close). */
  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    dashboard.close();
    if (sweeper != null) {
      sweeper.cancel(false);
    }
    workers.close();
  }
}
