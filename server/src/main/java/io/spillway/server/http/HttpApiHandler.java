package io.spillway.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.spillway.server.broker.Broker;
import io.spillway.core.admission.Priority;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP connection's requests: routes each, answers what needs no work on the event loop (health, metrics, every
 * refusal), passes API requests through authentication, the rate limit and the work queue, and writes responses in
 * request order (HTTP/1.1 pipelining). Reading stops while {@value #MAX_PIPELINED} requests are unanswered.
 * Event-loop confined.
 */
final class HttpApiHandler extends ChannelInboundHandlerAdapter {

  static final String NAME = "http-api";
  /** Unanswered requests per connection beyond which the connection is not read. */
  static final int MAX_PIPELINED = 16;
  static final String DEADLINE_HEADER = "X-Request-Timeout-Ms";
  static final String PRIORITY_HEADER = "X-Priority";

  private static final Logger log = LoggerFactory.getLogger(HttpApiHandler.class);

  private final HttpApi api;
  private final ArrayDeque<Exchange> inOrder = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private HttpTimeouts timeouts;
  private String remoteHost;
  private boolean closing;

  HttpApiHandler(HttpApi api) {
    this.api = api;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.timeouts = (HttpTimeouts) ctx.pipeline().get(HttpTimeouts.NAME);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (closing) {
        return;
      }
      if (msg instanceof BodyLimitAggregator.TooLarge big) {
        answerNow(Route.OTHER, ApiResponse.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body_too_large",
            "request body exceeds http-max-body-size (" + big.limit + " bytes)").closing());
      } else if (msg instanceof FullHttpRequest full) {
        request(full);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void request(FullHttpRequest req) {
    timeouts.requestArrived();
    DecoderResult decoded = req.decoderResult();
    if (decoded.isFailure()) {
      answerNow(Route.OTHER, malformed(decoded.cause()).closing());
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(req.uri());
    String path = uri.path();
    HttpMethod method = req.method();
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    switch (path) {
      case "/healthz":
        if (get(method)) {
          answerNow(Route.HEALTHZ, keepAlive, ApiResponse.json(HttpResponseStatus.OK, Json.bytes(Json.object("status", "ok"))));
        } else {
          answerNow(Route.HEALTHZ, keepAlive, notAllowed("GET"));
        }
        return;
      case "/readyz":
        answerNow(Route.READYZ, keepAlive, get(method) ? readiness() : notAllowed("GET"));
        return;
      case "/metrics":
        answerNow(Route.METRICS, keepAlive, get(method)
            ? ApiResponse.text(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8", api.metrics.get())
            : notAllowed("GET"));
        return;
      case "/v1/channels":
        api(Route.CHANNELS, req, keepAlive, HttpMethod.GET, null, null);
        return;
      case "/v1/clients":
        api(Route.CLIENTS, req, keepAlive, HttpMethod.GET, null, null);
        return;
      case "/v1/stats":
        api(Route.STATS, req, keepAlive, HttpMethod.GET, null, null);
        return;
      case "/v1/ws":
        webSocket(req, uri, keepAlive);
        return;
      default:
        if (DashboardRoutes.handles(path)) {
          dashboard(req, uri, keepAlive);
        } else if (path.startsWith("/v1/publish/")) {
          publish(req, uri.rawPath().substring("/v1/publish/".length()), keepAlive);
        } else {
          answerNow(Route.OTHER, keepAlive,
              ApiResponse.error(HttpResponseStatus.NOT_FOUND, "not_found", "no route for " + path));
        }
    }
  }

  private void publish(FullHttpRequest req, String encodedChannel, boolean keepAlive) {
    if (!HttpMethod.POST.equals(req.method())) {
      answerNow(Route.PUBLISH, keepAlive, notAllowed("POST"));
      return;
    }
    String name = QueryStringDecoder.decodeComponent(encodedChannel, StandardCharsets.UTF_8);
    byte[] channel = name.getBytes(StandardCharsets.UTF_8);
    ByteBuf content = req.content();
    int refusal = api.broker.check(channel.length, content.readableBytes());
    if (name.isEmpty() || encodedChannel.indexOf('/') >= 0) {
      answerNow(Route.PUBLISH, keepAlive, ApiResponse.error(HttpResponseStatus.BAD_REQUEST, "bad_channel",
          "the channel is the one path segment after /v1/publish/ (percent-encode '/' as %2F)"));
    } else if (refusal == Broker.NAME_TOO_LONG) {
      answerNow(Route.PUBLISH, keepAlive, ApiResponse.error(HttpResponseStatus.BAD_REQUEST, "bad_channel",
          api.broker.refusal(refusal, channel.length, content.readableBytes())));
    } else if (refusal == Broker.TOO_LARGE) {
      answerNow(Route.PUBLISH, keepAlive, ApiResponse.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
          "message_too_large", api.broker.refusal(refusal, channel.length, content.readableBytes())));
    } else {
      api(Route.PUBLISH, req, keepAlive, HttpMethod.POST, channel, ByteBufUtil.getBytes(content));
    }
  }

  /** An admitted route: authentication, rate limit, priority and deadline, then the work queue. */
  private void api(Route route, FullHttpRequest req, boolean keepAlive, HttpMethod allowed, byte[] channel,
      byte[] body) {
    if (!allowed.equals(req.method())) {
      answerNow(route, keepAlive, notAllowed(allowed.name()));
      return;
    }
    String token = bearer(req);
    if (api.authRequired() && !api.validToken(token)) {
      answerNow(route, keepAlive, unauthorized());
      return;
    }
    long now = api.clock.nanoTime();
    List<String[]> rateHeaders = List.of();
    String key = api.authRequired() ? "token:" + token : "addr:" + remoteHost();
    if (api.rateLimiter != null) {
      RateLimitHeaders.Verdict v = RateLimitHeaders.check(api.rateLimiter, key);
      rateHeaders = v.headers;
      if (!v.allowed) {
        api.queue.rateLimited();
        Exchange e = track(Exchange.immediate(route, now, ctx.channel().eventLoop(), this::answered), keepAlive);
        e.extraHeaders = rateHeaders;
        e.answer(ApiResponse.shed(HttpResponseStatus.TOO_MANY_REQUESTS, "rate_limited", v.retryAfterSeconds,
            "rate limit of " + api.config.rateLimit() + " requests/s exceeded"), false);
        return;
      }
    }
    Priority priority;
    long deadline;
    try {
      priority = priority(req, route);
      deadline = now + deadlineNanos(req, route);
    } catch (IllegalArgumentException bad) {
      Exchange e = track(Exchange.immediate(route, now, ctx.channel().eventLoop(), this::answered), keepAlive);
      e.extraHeaders = rateHeaders;
      e.answer(ApiResponse.error(HttpResponseStatus.BAD_REQUEST, "bad_header", bad.getMessage()), false);
      return;
    }
    Exchange e = new Exchange(route, key, channel, body, priority, now, deadline, ctx.channel().eventLoop(),
        this::answered);
    track(e, keepAlive).extraHeaders = rateHeaders;
    api.queue.submit(e);
  }

  private void dashboard(FullHttpRequest req, QueryStringDecoder uri, boolean keepAlive) {
    api.dashboard.request(ctx, req, uri, new DashboardRoutes.Responder() {
      @Override
      public void answer(Route route, ApiResponse response) {
        answerNow(route, keepAlive, response);
      }

      @Override
      public boolean takeOver() {
        if (!inOrder.isEmpty()) {
          return false;
        }
        closing = true;
        return true;
      }
    });
  }

  private void webSocket(FullHttpRequest req, QueryStringDecoder uri, boolean keepAlive) {
    if (!HttpMethod.GET.equals(req.method())) {
      answerNow(Route.WEBSOCKET, keepAlive, notAllowed("GET"));
      return;
    }
    String token = bearer(req);
    if (token == null) {
      List<String> q = uri.parameters().get("access_token");
      token = q == null || q.isEmpty() ? null : q.get(0);
    }
    if (api.authRequired() && !api.validToken(token)) {
      answerNow(Route.WEBSOCKET, keepAlive, unauthorized());
      return;
    }
    List<String> channels = uri.parameters().getOrDefault("channel", List.of());
    long maxChannel = api.server.maxChannelLength().toBytes();
    String problem = channels.isEmpty() ? "give at least one ?channel=" : null;
    for (String c : channels) {
      if (c.isEmpty() || c.getBytes(StandardCharsets.UTF_8).length > maxChannel) {
        problem = "channel names must be 1 to " + maxChannel + " bytes";
      }
    }
    if (problem == null && !inOrder.isEmpty()) {
      problem = "a WebSocket upgrade cannot be pipelined behind other requests";
    }
    if (problem == null && !"websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE))) {
      problem = "expected a WebSocket upgrade request (Upgrade: websocket)";
    }
    if (problem != null) {
      answerNow(Route.WEBSOCKET, keepAlive,
          ApiResponse.error(HttpResponseStatus.BAD_REQUEST, "bad_websocket_request", problem));
      return;
    }
    closing = true;
    api.observer.requestCompleted(Route.WEBSOCKET.template, 101, 0, false);
    api.webSocket.upgrade(ctx, req, channels); // WS-UPGRADE
  }

  private ApiResponse readiness() {
    if (api.shedding.getAsBoolean()) {
      return ApiResponse.json(HttpResponseStatus.SERVICE_UNAVAILABLE, Json.bytes(Json.object("status", "shedding")))
          .withHeader(HttpHeaderNames.RETRY_AFTER.toString(), "1");
    }
    return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(Json.object("status", "ready")));
  }

  private Priority priority(FullHttpRequest req, Route route) {
    String p = req.headers().get(PRIORITY_HEADER);
    return p == null ? route.defaultPriority : Priority.parse(p.trim());
  }

  private long deadlineNanos(FullHttpRequest req, Route route) {
    long max = api.config.maxDeadline().toNanos();
    if (!api.config.admission()) {
      return max;
    }
    String h = req.headers().get(DEADLINE_HEADER);
    if (h == null) {
      return (route == Route.PUBLISH ? api.config.publishDeadline() : api.config.queryDeadline()).toNanos();
    }
    long ms;
    try {
      ms = Long.parseLong(h.trim());
    } catch (NumberFormatException e) {
      ms = -1;
    }
    if (ms < 1) {
      throw new IllegalArgumentException(DEADLINE_HEADER + " must be a positive number of milliseconds, not '" + h
          + "'");
    }
    return Math.min(max, ms * 1_000_000L);
  }

  private static String bearer(FullHttpRequest req) {
    String h = req.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (h == null || h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return h.substring(7).trim();
  }

  private String remoteHost() {
    if (remoteHost == null) {
      remoteHost = ctx.channel().remoteAddress() instanceof InetSocketAddress
          ? ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress()
          : String.valueOf(ctx.channel().remoteAddress());
    }
    return remoteHost;
  }

  private static boolean get(HttpMethod m) {
    return HttpMethod.GET.equals(m);
  }

  private static ApiResponse notAllowed(String allow) {
    return ApiResponse.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "use " + allow)
        .withHeader(HttpHeaderNames.ALLOW.toString(), allow);
  }

  private static ApiResponse unauthorized() {
    return ApiResponse.error(HttpResponseStatus.UNAUTHORIZED, "unauthorized",
        "a valid 'Authorization: Bearer <token>' is required")
        .withHeader(HttpHeaderNames.WWW_AUTHENTICATE.toString(), "Bearer realm=\"spillway\"");
  }

  private static ApiResponse malformed(Throwable cause) {
    if (cause instanceof TooLongHttpHeaderException) {
      return ApiResponse.error(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large",
          "request headers exceed http-max-header-size");
    }
    if (cause instanceof TooLongHttpLineException) {
      return ApiResponse.error(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request_line_too_long",
          "the request line exceeds " + HttpServerPipeline.MAX_REQUEST_LINE + " bytes");
    }
    if (cause instanceof TooLongFrameException) {
      return ApiResponse.error(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large",
          String.valueOf(cause.getMessage()));
    }
    return ApiResponse.error(HttpResponseStatus.BAD_REQUEST, "malformed_request",
        "not a valid HTTP/1.1 request: " + cause.getMessage());
  }

  private void answerNow(Route route, ApiResponse response) {
    answerNow(route, false, response);
  }

  private void answerNow(Route route, boolean keepAlive, ApiResponse response) {
    track(Exchange.immediate(route, api.clock.nanoTime(), ctx.channel().eventLoop(), this::answered), keepAlive)
        .answer(response, false);
  }

  private Exchange track(Exchange e, boolean keepAlive) {
    e.keepAlive = keepAlive;
    inOrder.add(e);
    if (inOrder.size() >= MAX_PIPELINED) {
      ctx.channel().config().setAutoRead(false);
    }
    return e;
  }

  /** An exchange has its answer; write every answer now at the head of the line. Event loop. */
  private void answered(Exchange e, Exchange.Answer a) {
    e.result = a;
    if (!ctx.channel().isActive()) {
      return;
    }
    boolean wrote = false;
    while (!inOrder.isEmpty() && inOrder.peek().result != null) {
      Exchange head = inOrder.poll();
      ApiResponse r = head.result.response.withHeaders(head.extraHeaders);
      boolean keep = head.keepAlive && !r.close;
      ctx.write(r.toNetty(ctx.alloc(), keep));
      wrote = true;
      api.observer.requestCompleted(head.route.template, r.status.code(), api.clock.nanoTime() - head.arrivalNanos,
          head.result.admitted);
      timeouts.responseWritten();
      if (!keep) {
        closing = true;
        inOrder.clear();
        LingeringClose.after(ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER));
        return;
      }
    }
    if (wrote) {
      ctx.flush();
    }
    if (inOrder.size() < MAX_PIPELINED && !closing && !ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  /** Requests still queued for this connection will not be run: nobody is left to answer. */
  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    for (Exchange e : inOrder) {
      e.abandon();
    }
    inOrder.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      log.debug("HTTP connection {}: {}", ctx.channel(), cause.toString());
    } else {
      log.warn("HTTP connection {} failed", ctx.channel(), cause);
    }
    ctx.close();
  }
}
