package io.spillway.server.http;

import io.spillway.core.admission.RateLimiter;
import io.spillway.core.time.NanoClock;
import io.spillway.server.config.HttpConfig;
import io.spillway.server.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What every connection's {@link HttpApiHandler} shares: the settings, the work queue, the rate limiter, the
 * WebSocket endpoint, the metrics text and the readiness signal. Thread-safe.
 */
final class HttpApi {

  final ServerConfig server;
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
  private final List<byte[]> tokens;

  HttpApi(ServerConfig server, WorkQueue queue, RateLimiter rateLimiter, HttpObserver observer, NanoClock clock,
      HttpServer.WebSocketUpgradeHandler webSocket, Supplier<byte[]> metrics, BooleanSupplier shedding) {
    this.server = server;
    this.config = server.http();
    this.queue = queue;
    this.rateLimiter = rateLimiter;
    this.observer = observer;
    this.clock = clock;
    this.webSocket = webSocket;
    this.metrics = metrics;
    this.shedding = shedding;
    this.origins = new OriginPolicy(config.allowedOrigins());
    this.tokens = config.tokens().stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
  }

  boolean authRequired() {
    return !tokens.isEmpty();
  }

  /** Whether {@code presented} is one of the configured tokens; compared in constant time. */
  boolean validToken(String presented) {
    if (presented == null) {
      return false;
    }
    byte[] p = presented.getBytes(StandardCharsets.UTF_8);
    boolean ok = false;
    for (byte[] t : tokens) {
      ok |= MessageDigest.isEqual(t, p);
    }
    return ok;
  }
}
