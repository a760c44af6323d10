package io.spillway.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.spillway.server.client.ClientRegistry;
import io.spillway.server.client.ClientSession;
import java.util.List;

/**
 * The dashboard's routes on the HTTP port: the page and its assets ({@code GET /}, {@code /dashboard}, {@code
 * /dashboard/assets/...}, open like {@code /metrics}: they hold no data), the live feed ({@code GET
 * /v1/dashboard/events}, Server-Sent Events) and the kill action ({@code POST /v1/clients/{id}/kill}); the last two
 * behind the HTTP tokens. Answered on the event loop, never queued: the operator's view must work while the
 * admission layer sheds. Event-loop confined per call; the feed is shared.
 */
final class DashboardRoutes {

  /** How a request is answered through the connection's handler (responses in request order). */
  interface Responder {
    /** Queues {@code response} as this request's answer. */
    void answer(Route route, ApiResponse response);

    /**
     * Hands the connection over to a stream; false when other requests are still unanswered on it (a stream cannot
     * be pipelined behind them).
     */
    boolean takeOver();
  }

  static final String EVENTS = "/v1/dashboard/events";
  private static final String KILL_PREFIX = "/v1/clients/";
  private static final String KILL_SUFFIX = "/kill";
  /** A stream's write buffer: a viewer that does not read holds at most this much, plus one event. */
  private static final WriteBufferWaterMark STREAM_WATER_MARK =
      new WriteBufferWaterMark(8 * 1024, 32 * 1024);

  private final HttpApi api;
  private final DashboardFeed feed;
  private final ClientRegistry clients;

  DashboardRoutes(HttpApi api, DashboardFeed feed, ClientRegistry clients) {
    this.api = api;
    this.feed = feed;
    this.clients = clients;
  }

  /** Whether {@code path} is one of the dashboard's routes. */
  static boolean handles(String path) {
    return path.equals("/")
        || path.equals("/dashboard")
        || path.startsWith(DashboardAssets.PREFIX)
        || path.equals(EVENTS)
        || (path.startsWith(KILL_PREFIX) && path.endsWith(KILL_SUFFIX));
  }

  /** Answers a request whose path {@link #handles}. Event loop. */
  void request(
      ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri, Responder out) {
    String path = uri.path();
    HttpMethod method = req.method();
    if (path.equals(EVENTS)) {
      events(ctx, req, uri, out);
    } else if (path.startsWith(KILL_PREFIX)) {
      kill(ctx, req, path, out);
    } else if (!HttpMethod.GET.equals(method)) {
      out.answer(Route.DASHBOARD, notAllowed("GET"));
    } else {
      ApiResponse asset = DashboardAssets.get(path.equals("/") ? "/dashboard" : path);
      out.answer(
          Route.DASHBOARD,
          asset != null
              ? asset
              : ApiResponse.error(
                  HttpResponseStatus.NOT_FOUND, "not_found", "no route for " + path));
    }
  }

  private void kill(ChannelHandlerContext ctx, FullHttpRequest req, String path, Responder out) {
    if (!HttpMethod.POST.equals(req.method())) {
      out.answer(Route.CLIENT_KILL, notAllowed("POST"));
      return;
    }
    if (!authorized(ctx, req, null)) {
      out.answer(Route.CLIENT_KILL, unauthorized());
      return;
    }
    String idText = path.substring(KILL_PREFIX.length(), path.length() - KILL_SUFFIX.length());
    long id;
    try {
      id = Long.parseLong(idText);
    } catch (NumberFormatException e) {
      id = -1;
    }
    ClientSession c = id > 0 ? clients.get(id) : null;
    if (c == null) {
      out.answer(
          Route.CLIENT_KILL,
          ApiResponse.error(
              HttpResponseStatus.NOT_FOUND, "no_such_client", "no client with id " + idText));
      return;
    }
    // As CLIENT KILL ID: the connection is reset (SO_LINGER 0), so its queued bytes are freed at
    // once.
    c.channel().eventLoop().execute(() -> {
      c.channel().config().setOption(ChannelOption.SO_LINGER, 0);
      c.channel().close();
    });
    out.answer(
        Route.CLIENT_KILL,
        ApiResponse.json(HttpResponseStatus.OK, Json.bytes(Json.object("killed", id))));
  }

  private void events(
      ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri, Responder out) {
    if (!HttpMethod.GET.equals(req.method())) {
      out.answer(Route.DASHBOARD_EVENTS, notAllowed("GET"));
      return;
    }
    if (!authorized(ctx, req, uri)) {
      out.answer(Route.DASHBOARD_EVENTS, unauthorized());
      return;
    }
    if (!feed.tryReserve()) {
      out.answer(
          Route.DASHBOARD_EVENTS,
          ApiResponse.shed(
              HttpResponseStatus.SERVICE_UNAVAILABLE,
              "viewers_full",
              5,
              DashboardFeed.MAX_VIEWERS + " dashboard viewers are already connected"));
      return;
    }
    if (!out.takeOver()) {
      feed.release();
      out.answer(
          Route.DASHBOARD_EVENTS,
          ApiResponse.error(
              HttpResponseStatus.BAD_REQUEST,
              "pipelined",
              "an event stream cannot be pipelined behind other requests"));
      return;
    }
    api.observer.requestCompleted(Route.DASHBOARD_EVENTS.template, 200, 0, false);
    ChannelPipeline p = ctx.pipeline();
    p.remove(HttpTimeouts.NAME);
    p.remove(BodyLimitAggregator.NAME);
    p.addLast(DashboardStream.NAME, new DashboardStream());
    p.remove(HttpApiHandler.NAME);
    ctx.channel().config().setWriteBufferWaterMark(STREAM_WATER_MARK);
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .set("X-Content-Type-Options", "nosniff");
    HttpUtil.setTransferEncodingChunked(head, true);
    ctx.channel().write(head);
    feed.add(ctx.channel());
  }

  /**
   * The request's credentials as the rest of the HTTP API checks them ({@code http-tokens}, or {@code requirepass}
   * and ACL users), with {@code ?access_token=} standing in for a bearer token (EventSource cannot set headers).
   */
  private boolean authorized(
      ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri) {
    String token = null;
    if (uri != null) {
      List<String> q = uri.parameters().get("access_token");
      token = q == null || q.isEmpty() ? null : q.get(0);
    }
    java.net.SocketAddress remote = ctx.channel().remoteAddress();
    String address = remote instanceof java.net.InetSocketAddress i && i.getAddress() != null
        ? i.getAddress().getHostAddress()
        : String.valueOf(remote);
    return api.auth
        .checkHttp(req.headers().get(HttpHeaderNames.AUTHORIZATION), token, address)
        .ok();
  }

  private static ApiResponse notAllowed(String allow) {
    return ApiResponse.error(
            HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "use " + allow)
        .withHeader(HttpHeaderNames.ALLOW.toString(), allow);
  }

  private static ApiResponse unauthorized() {
    return ApiResponse.error(
            HttpResponseStatus.UNAUTHORIZED,
            "unauthorized",
            "a valid 'Authorization: Bearer <token>' (or ?access_token= for the event stream) is required")
        .withHeader(HttpHeaderNames.WWW_AUTHENTICATE.toString(), "Bearer realm=\"spillway\"");
  }
}
