package io.spillway.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
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
import io.spillway.core.admission.Priority;
import io.spillway.server.auth.Authenticator;
import io.spillway.server.auth.Permissions;
import io.spillway.server.broker.Broker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  /** The CORS headers of the request being routed. */
  private List<String[]> cors = List.of();

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
      cors = List.of();
      if (msg instanceof BodyLimitAggregator.TooLarge big) {
        answerNow(
            Route.OTHER,
            ApiResponse.error(
                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "body_too_large",
                    "request body exceeds http-max-body-size (" + big.limit + " bytes)")
                .closing());
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
    String target = req.uri();
    int q = target.indexOf('?');
    String rawPath = q < 0 ? target : target.substring(0, q);
    String rawQuery = q < 0 ? "" : target.substring(q + 1);
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    String path;
    Map<String, List<byte[]>> query;
    try {
      path = new String(PercentDecoding.decode(rawPath, false), StandardCharsets.ISO_8859_1);
      query = PercentDecoding.query(rawQuery);
    } catch (IllegalArgumentException bad) {
      answerNow(
          Route.OTHER,
          keepAlive,
          ApiResponse.error(
              HttpResponseStatus.BAD_REQUEST,
              "bad_escape",
              "the request target has an " + bad.getMessage()));
      return;
    }
    HttpMethod method = req.method();
    String origin = req.headers().get(HttpHeaderNames.ORIGIN);
    cors = api.origins.answerHeaders(origin);
    boolean preflight = HttpMethod.OPTIONS.equals(method)
        && origin != null
        && req.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    if (!api.origins.allows(origin)
        && !OriginPolicy.ownPageByAddress(origin, req.headers().get(HttpHeaderNames.HOST))
        && (preflight || OriginPolicy.changesState(method) || path.equals("/v1/ws"))) {
      answerNow(
          Route.OTHER,
          keepAlive,
          ApiResponse.error(
              HttpResponseStatus.FORBIDDEN,
              "origin_not_allowed",
              "requests from origin " + origin
                  + " may not change state or open a WebSocket (http-allowed-origins)"));
      return;
    }
    if (preflight) {
      answerNow(
          Route.OTHER,
          keepAlive,
          ApiResponse.text(HttpResponseStatus.NO_CONTENT, "text/plain", new byte[0])
              .withHeaders(OriginPolicy.preflightHeaders()));
      return;
    }
    switch (path) {
      case "/healthz":
        if (get(method)) {
          answerNow(
              Route.HEALTHZ,
              keepAlive,
              ApiResponse.json(HttpResponseStatus.OK, Json.bytes(Json.object("status", "ok"))));
        } else {
          answerNow(Route.HEALTHZ, keepAlive, notAllowed("GET"));
        }
        return;
      case "/readyz":
        answerNow(Route.READYZ, keepAlive, get(method) ? readiness() : notAllowed("GET"));
        return;
      case "/metrics":
        answerNow(
            Route.METRICS,
            keepAlive,
            get(method)
                ? ApiResponse.text(
                    HttpResponseStatus.OK,
                    "text/plain; version=0.0.4; charset=utf-8",
                    api.metrics.get())
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
        webSocket(req, query, keepAlive);
        return;
      default:
        if (DashboardRoutes.handles(path)) {
          dashboard(req, new QueryStringDecoder(req.uri()), keepAlive);
        } else if (rawPath.startsWith("/v1/publish/")) {
          publish(req, rawPath.substring("/v1/publish/".length()), keepAlive);
        } else {
          answerNow(
              Route.OTHER,
              keepAlive,
              ApiResponse.error(
                  HttpResponseStatus.NOT_FOUND, "not_found", "no route for " + printable(path)));
        }
    }
  }

  /** The path as shown in an error: its bytes read as UTF-8. */
  private static String printable(String path) {
    return new String(path.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }

  private void publish(FullHttpRequest req, String encodedChannel, boolean keepAlive) {
    if (!HttpMethod.POST.equals(req.method())) {
      answerNow(Route.PUBLISH, keepAlive, notAllowed("POST"));
      return;
    }
    // The path was checked for bad escapes already; the channel is the bytes the escapes stand for.
    byte[] channel = PercentDecoding.decode(encodedChannel, false);
    ByteBuf content = req.content();
    int refusal = api.broker.check(channel.length, content.readableBytes());
    if (channel.length == 0 || encodedChannel.indexOf('/') >= 0) {
      answerNow(
          Route.PUBLISH,
          keepAlive,
          ApiResponse.error(
              HttpResponseStatus.BAD_REQUEST,
              "bad_channel",
              "the channel is the one path segment after /v1/publish/ (percent-encode '/' as %2F)"));
    } else if (refusal == Broker.NAME_TOO_LONG) {
      answerNow(
          Route.PUBLISH,
          keepAlive,
          ApiResponse.error(
              HttpResponseStatus.BAD_REQUEST,
              "bad_channel",
              api.broker.refusal(refusal, channel.length, content.readableBytes())));
    } else if (refusal == Broker.TOO_LARGE) {
      answerNow(
          Route.PUBLISH,
          keepAlive,
          ApiResponse.error(
              HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
              "message_too_large",
              api.broker.refusal(refusal, channel.length, content.readableBytes())));
    } else {
      api(Route.PUBLISH, req, keepAlive, HttpMethod.POST, channel, ByteBufUtil.getBytes(content));
    }
  }

  /** An admitted route: authentication, rate limit, priority and deadline, then the work queue. */
  private void api(
      Route route,
      FullHttpRequest req,
      boolean keepAlive,
      HttpMethod allowed,
      byte[] channel,
      byte[] body) {
    if (!allowed.equals(req.method())) {
      answerNow(route, keepAlive, notAllowed(allowed.name()));
      return;
    }
    String token = bearer(req);
    Authenticator.Outcome who =
        api.auth.checkHttp(req.headers().get(HttpHeaderNames.AUTHORIZATION), null, remoteHost());
    if (!who.ok()) {
      answerNow(route, keepAlive, refused(who));
      return;
    }
    if (channel != null && !who.user.mayPublish(channel)) {
      answerNow(route, keepAlive, noPermission());
      return;
    }
    long now = api.clock.nanoTime();
    List<String[]> rateHeaders = List.of();
    String key = api.auth.httpTokensOnly() ? "token:" + token : "addr:" + remoteHost();
    if (api.rateLimiter != null) {
      RateLimitHeaders.Verdict v = RateLimitHeaders.check(api.rateLimiter, key);
      rateHeaders = v.headers;
      if (!v.allowed) {
        api.queue.rateLimited();
        Exchange e = track(
            Exchange.immediate(route, now, ctx.channel().eventLoop(), this::answered), keepAlive);
        e.extraHeaders = rateHeaders;
        e.answer(
            ApiResponse.shed(
                HttpResponseStatus.TOO_MANY_REQUESTS,
                "rate_limited",
                v.retryAfterSeconds,
                "rate limit of " + api.config.rateLimit() + " requests/s exceeded"),
            false);
        return;
      }
    }
    Priority priority;
    long deadline;
    try {
      priority = priority(req, route);
      deadline = now + deadlineNanos(req, route);
    } catch (IllegalArgumentException bad) {
      Exchange e = track(
          Exchange.immediate(route, now, ctx.channel().eventLoop(), this::answered), keepAlive);
      e.extraHeaders = rateHeaders;
      e.answer(
          ApiResponse.error(HttpResponseStatus.BAD_REQUEST, "bad_header", bad.getMessage()), false);
      return;
    }
    Exchange e = new Exchange(
        route,
        key,
        channel,
        body,
        priority,
        now,
        deadline,
        ctx.channel().eventLoop(),
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

  private void webSocket(FullHttpRequest req, Map<String, List<byte[]>> query, boolean keepAlive) {
    if (!HttpMethod.GET.equals(req.method())) {
      answerNow(Route.WEBSOCKET, keepAlive, notAllowed("GET"));
      return;
    }
    String token = bearer(req);
    if (token == null) {
      List<byte[]> q = query.get("access_token");
      token = q == null || q.isEmpty() ? null : new String(q.get(0), StandardCharsets.UTF_8);
    }
    Authenticator.Outcome who =
        api.auth.checkHttp(req.headers().get(HttpHeaderNames.AUTHORIZATION), token, remoteHost());
    if (!who.ok()) {
      answerNow(Route.WEBSOCKET, keepAlive, refused(who));
      return;
    }
    for (byte[] c : query.getOrDefault("channel", List.of())) {
      if (!who.user.maySubscribe(c)) {
        answerNow(Route.WEBSOCKET, keepAlive, noPermission());
        return;
      }
    }
    ctx.channel().attr(Authenticator.USER).set(who.user);
    List<String> channels = new ArrayList<>();
    long maxChannel = api.server.maxChannelLength().toBytes();
    String problem =
        query.getOrDefault("channel", List.of()).isEmpty() ? "give at least one ?channel=" : null;
    for (byte[] c : query.getOrDefault("channel", List.of())) {
      String name = strictUtf8(c);
      if (c.length == 0 || c.length > maxChannel) {
        problem = "channel names must be 1 to " + maxChannel + " bytes";
      } else if (name == null) {
        problem =
            "a WebSocket channel name must be UTF-8 once percent-decoded (the WebSocket protocol carries"
                + " channel names as JSON strings)";
      } else {
        channels.add(name);
      }
    }
    if (problem == null && !inOrder.isEmpty()) {
      problem = "a WebSocket upgrade cannot be pipelined behind other requests";
    }
    if (problem == null
        && !"websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE))) {
      problem = "expected a WebSocket upgrade request (Upgrade: websocket)";
    }
    if (problem != null) {
      answerNow(
          Route.WEBSOCKET,
          keepAlive,
          ApiResponse.error(HttpResponseStatus.BAD_REQUEST, "bad_websocket_request", problem));
      return;
    }
    closing = true;
    api.observer.requestCompleted(Route.WEBSOCKET.template, 101, 0, false);
    api.webSocket.upgrade(ctx, req, channels); // WS-UPGRADE
  }

  private ApiResponse readiness() {
    if (api.shedding.getAsBoolean()) {
      return ApiResponse.json(
              HttpResponseStatus.SERVICE_UNAVAILABLE, Json.bytes(Json.object("status", "shedding")))
          .withHeader(HttpHeaderNames.RETRY_AFTER.toString(), "1");
    }
    io.spillway.server.backplane.BackplaneStatus b = api.backplane.get();
    if (b.kind().equals("off")) {
      return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(Json.object("status", "ready")));
    }
    // Still 200 while the backplane is down: local traffic is served, and a Redis outage would
    // otherwise take every
    // server out of its load balancer at once (README: Backplane).
    return ApiResponse.json(
        HttpResponseStatus.OK,
        Json.bytes(Json.object(
            "status",
            "ready",
            "backplane",
            Json.object(
                "state",
                b.state(),
                "down_seconds",
                b.downSeconds(),
                "outbound_bytes",
                b.outboundBytes(),
                "inbound_bytes",
                b.inboundBytes(),
                "dropped",
                b.droppedFull() + b.droppedDown() + b.inboundDropped()))));
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
      return (route == Route.PUBLISH ? api.config.publishDeadline() : api.config.queryDeadline())
          .toNanos();
    }
    long ms;
    try {
      ms = Long.parseLong(h.trim());
    } catch (NumberFormatException e) {
      ms = -1;
    }
    if (ms < 1) {
      throw new IllegalArgumentException(
          DEADLINE_HEADER + " must be a positive number of milliseconds, not '" + h + "'");
    }
    return ms > max / 1_000_000L ? max : Math.min(max, ms * 1_000_000L);
  }

  /** {@code bytes} as UTF-8 text, or null if they are not UTF-8. */
  private static String strictUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return null;
    }
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
    return ApiResponse.error(
            HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "use " + allow)
        .withHeader(HttpHeaderNames.ALLOW.toString(), allow);
  }

  /** 401 for missing or wrong credentials; 429 + Retry-After while the address is slowed for failing too often. */
  private ApiResponse refused(Authenticator.Outcome who) {
    if (who.retryAfterMillis > 0) {
      return ApiResponse.error(
              HttpResponseStatus.TOO_MANY_REQUESTS, "too_many_auth_failures", who.error)
          .withHeader(
              HttpHeaderNames.RETRY_AFTER.toString(),
              Long.toString((who.retryAfterMillis + 999) / 1000));
    }
    String message = who.error.equals(Authenticator.WRONGPASS) ? "wrong credentials" : who.error;
    return ApiResponse.error(HttpResponseStatus.UNAUTHORIZED, "unauthorized", message)
        .withHeader(
            HttpHeaderNames.WWW_AUTHENTICATE.toString(),
            api.auth.httpTokensOnly()
                ? "Bearer realm=\"spillway\""
                : "Basic realm=\"spillway\", Bearer realm=\"spillway\"");
  }

  /** 403 for a channel outside the user's ACL patterns, with Redis's NOPERM text. */
  private static ApiResponse noPermission() {
    return ApiResponse.error(HttpResponseStatus.FORBIDDEN, "noperm", Permissions.NOPERM_CHANNEL);
  }

  private static ApiResponse malformed(Throwable cause) {
    if (cause instanceof RequestRejectedException rejected) {
      return rejected.response();
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return ApiResponse.error(
          HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
          "headers_too_large",
          "request headers exceed http-max-header-size");
    }
    if (cause instanceof TooLongHttpLineException) {
      return ApiResponse.error(
          HttpResponseStatus.REQUEST_URI_TOO_LONG,
          "request_line_too_long",
          "the request line exceeds " + HttpServerPipeline.MAX_REQUEST_LINE + " bytes");
    }
    if (cause instanceof TooLongFrameException) {
      return ApiResponse.error(
          HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
          "headers_too_large",
          String.valueOf(cause.getMessage()));
    }
    return ApiResponse.error(
        HttpResponseStatus.BAD_REQUEST,
        "malformed_request",
        "not a valid HTTP/1.1 request: " + cause.getMessage());
  }

  private void answerNow(Route route, ApiResponse response) {
    answerNow(route, false, response);
  }

  private void answerNow(Route route, boolean keepAlive, ApiResponse response) {
    if (response.close) {
      // Nothing the client sent after this request is answered (a request smuggled behind it, say).
      closing = true;
    }
    track(
            Exchange.immediate(
                route, api.clock.nanoTime(), ctx.channel().eventLoop(), this::answered),
            keepAlive)
        .answer(response, false);
  }

  private Exchange track(Exchange e, boolean keepAlive) {
    e.keepAlive = keepAlive;
    e.cors = cors;
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
      ApiResponse r = head.result.response.withHeaders(head.extraHeaders).withHeaders(head.cors);
      boolean keep = head.keepAlive && !r.close;
      ctx.write(r.toNetty(ctx.alloc(), keep));
      wrote = true;
      api.observer.requestCompleted(
          head.route.template,
          r.status.code(),
          api.clock.nanoTime() - head.arrivalNanos,
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
    if (cause instanceof IOException || cause instanceof PrematureChannelClosureException) {
      log.debug("HTTP connection {}: {}", ctx.channel(), cause.toString());
    } else {
      log.warn("HTTP connection {} failed", ctx.channel(), cause);
    }
    ctx.close();
  }
}
