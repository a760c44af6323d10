package io.spillway.server.http;

import io.spillway.core.admission.RateLimiter;
import io.spillway.core.time.NanoClock;
import io.spillway.server.auth.Authenticator;
import io.spillway.server.broker.Broker;
import io.spillway.server.config.HttpConfig;
import io.spillway.server.config.ServerConfig;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What every connection's {@link HttpApiHandler} shares: the settings, the work queue, the rate limiter, the
 * WebSocket endpoint, the metrics text, the readiness signal and the authenticator both ports share. Thread-safe.
 */
final class HttpApi {

  final ServerConfig server;
  final Broker broker;
  final HttpConfig config;
  final WorkQueue queue;
  /** Null when rate limiting is off. */
  final RateLimiter rateLimiter;

  final HttpObserver observer;
  final NanoClock clock;
  final HttpServer.WebSocketUpgradeHandler webSocket;
  final Supplier<byte[]> metrics;
  /** True while the server is shedding: /readyz answers 503. */
  final BooleanSupplier shedding;

  final OriginPolicy origins;
  final Authenticator auth;
  /** The dashboard's page, event stream and kill action; set once, before the port is bound. */
  DashboardRoutes dashboard;
  /** The backplane's figures for /readyz; set once, before the port is bound. */
  java.util.function.Supplier<io.spillway.server.backplane.BackplaneStatus> backplane =
      () -> io.spillway.server.backplane.BackplaneStatus.OFF;

  HttpApi(
      ServerConfig server,
      Broker broker,
      WorkQueue queue,
      RateLimiter rateLimiter,
      HttpObserver observer,
      NanoClock clock,
      HttpServer.WebSocketUpgradeHandler webSocket,
      Supplier<byte[]> metrics,
      BooleanSupplier shedding,
      Authenticator auth) {
    this.server = server;
    this.broker = broker;
    this.config = server.http();
    this.queue = queue;
    this.rateLimiter = rateLimiter;
    this.observer = observer;
    this.clock = clock;
    this.webSocket = webSocket;
    this.metrics = metrics;
    this.shedding = shedding;
    this.origins = new OriginPolicy(config.allowedOrigins());
    this.auth = auth;
  }
}
