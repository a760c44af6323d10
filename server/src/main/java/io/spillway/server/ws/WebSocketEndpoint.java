package io.spillway.server.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.spillway.core.flow.PauseTally;
import io.spillway.core.time.NanoClock;
import io.spillway.server.broker.Broker;
import io.spillway.server.broker.IoLoop;
import io.spillway.server.client.ClientRegistry;
import io.spillway.server.config.ServerConfig;
import io.spillway.server.metrics.ServerStats;
import io.spillway.server.outbox.OutboxHandler;
import io.spillway.server.tls.TlsInitializer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * WebSocket subscribers ({@code GET /v1/ws?channel=a&channel=b}): the RFC 6455 handshake and, after it, a client
 * held to the same outbox policy as a RESP subscriber.
 *
 * <p>Server to client, every frame is text: each message as {@code {"channel":"…","message":"…"}} ({@code
 * "message_base64"} instead when the payload is not UTF-8), and replies as {@code {"op":"subscribed","channel":"…",
 * "subscriptions":N}}, {@code {"op":"unsubscribed",…}}, {@code {"op":"published","channel":"…","receivers":N}} or
 * {@code {"op":"error","message":"…"}} (a refused request, such as a channel over max-channel-length; the
 * connection stays open). A confirmation is sent for each channel of the query, before any message.
 *
 * <p>Client to server: text frames holding one JSON command, {@code {"op":"subscribe","channel":"x"}}, {@code
 * {"op":"unsubscribe","channel":"x"}} or {@code {"op":"publish","channel":"x","message":"…"}} ({@code
 * "message_base64"} for a binary payload); pings are answered with pongs, a close frame with a close frame. A
 * publisher is paused, as a RESP one is, while a loop's delivery backlog is congested: its socket is not read.
 *
 * <p>Close codes the server sends:
 *
 * <ul>
 *   <li><b>1000</b> and the client's own code: the answer to the client's close frame.
 *   <li><b>1002</b> protocol error: a frame that breaks RFC 6455 (for instance unmasked).
 *   <li><b>1003</b> unsupported data: a binary frame.
 *   <li><b>1007</b> invalid payload: a text frame that is not UTF-8 or not one JSON object, or bad Base64.
 *   <li><b>1008</b> policy violation: an unknown {@code op} or a missing field; and the <em>slow-consumer cut</em>,
 *       with reason {@code "slow consumer: output buffer over hard limit (N bytes)"}, {@code "slow consumer: output
 *       buffer over soft limit (N bytes) for 5s"} or {@code "slow consumer: write timeout (nothing taken for 5s)"}.
 *       The cut's close frame is written best effort behind what is queued, and the connection is then reset as a
 *       RESP client's is, so a reader that has stopped reading usually sees the reset, not the frame.
 *   <li><b>1009</b> message too big: a frame or message over {@link #maxFramePayload()} bytes.
 *   <li><b>1011</b> internal error: an unexpected server error.
 * </ul>
 *
 * <p>Before the handshake: 503 when max-clients are connected (WebSocket clients count with RESP ones), 426 for an
 * unsupported WebSocket version, 400 for a request that is not a WebSocket handshake.
 *
 * <p>Thread-safe: one endpoint serves every connection; {@link #upgrade} runs on the connection's event loop.
 */
public final class WebSocketEndpoint {

  /*
   * Design notes.
   *
   * The HTTP router hands over the connection with its HTTP handlers (all named "http-…") still in place. The
   * handshaker needs the codec to write its 101 response and removes it (and the aggregator) itself, once the
   * response is written; so the other http- handlers go first, the outbox goes nearest the socket before the
   * response is written (the 101 counts as queued bytes like anything else), and the client is registered and
   * subscribed only when the handshake has completed, so no message can be written before the 101.
   *
   * Admission happens here, not when the TCP connection is accepted: an HTTP connection (metrics, health) is not a
   * client; a WebSocket is, from the upgrade on, and counts against max-clients with RESP clients.
   */

  /** Room a frame has beyond the message: JSON envelope and field names. */
  static final int ENVELOPE_BYTES = 1024;

  /** Handler names this endpoint puts in the pipeline. */
  static final String OUTBOX = "outbox";

  static final String UTF8 = "ws-utf8";
  static final String AGGREGATOR = "ws-aggregator";
  static final String COMMANDS = "ws-commands";
  private static final String HTTP_PREFIX = "http-";

  final ServerConfig config;
  final Broker broker;
  final ClientRegistry clients;
  final ServerStats stats;
  final PauseTally pauses;
  final int maxFramePayload;
  private final NanoClock clock;
  private final Function<EventLoop, IoLoop> loops;
  private final WebSocketDecoderConfig decoderConfig;

  /**
   * @param loops finds the {@link IoLoop} of a connection's event loop
   */
  public WebSocketEndpoint(
      ServerConfig config,
      Broker broker,
      ClientRegistry clients,
      ServerStats stats,
      NanoClock clock,
      PauseTally pauses,
      Function<EventLoop, IoLoop> loops) {
    this.config = config;
    this.broker = broker;
    this.clients = clients;
    this.stats = stats;
    this.pauses = pauses;
    this.clock = clock;
    this.loops = loops;
    this.maxFramePayload = (int) Math.min(
            Integer.MAX_VALUE - ENVELOPE_BYTES,
            2 * config.maxMessageSize().toBytes() + config.maxChannelLength().toBytes())
        + ENVELOPE_BYTES;
    this.decoderConfig = WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(maxFramePayload)
        .expectMaskedFrames(true)
        .allowMaskMismatch(false)
        .allowExtensions(false)
        .closeOnProtocolViolation(true)
        .build();
  }

  /**
   * The most payload bytes one client frame, or one fragmented message, may carry: twice max-message-size (room for
   * JSON escapes or Base64), plus max-channel-length, plus {@link #ENVELOPE_BYTES}. Published messages are still
   * held to max-message-size once decoded.
   */
  public int maxFramePayload() {
    return maxFramePayload;
  }

  private volatile io.spillway.server.outbox.LimitsSource liveLimits;

  /** WebSocket clients' outboxes read their limits from {@code live} (CONFIG SET); returns this. */
  public WebSocketEndpoint liveLimits(io.spillway.server.outbox.LimitsSource live) {
    this.liveLimits = live;
    return this;
  }

  /**
   * Upgrades the connection of {@code ctx} to a WebSocket subscribed to {@code channels}, or answers with an HTTP
   * error and closes it. The caller has validated {@code channels} (at least one, each within max-channel-length)
   * and authentication. Call on the connection's event loop, from a handler of the HTTP pipeline; {@code request}
   * stays the caller's to release.
   */
  public void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, List<String> channels) {
    Channel channel = ctx.channel();
    stats.connectionReceived();
    WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
            location(request), null, decoderConfig)
        .newHandshaker(request);
    if (handshaker == null) {
      respond(
          channel,
          HttpResponseStatus.UPGRADE_REQUIRED,
          "unsupported_websocket_version",
          "unsupported Sec-WebSocket-Version '"
              + request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION)
              + "'; this server speaks version 13 (RFC 6455)");
      return;
    }
    if (!clients.tryAdmit()) {
      stats.connectionRejected();
      respond(
          channel,
          HttpResponseStatus.SERVICE_UNAVAILABLE,
          "max_clients",
          "max number of clients reached");
      return;
    }
    OutboxHandler outbox = new OutboxHandler(
        config.subscriberLimits(),
        config.normalLimits(),
        Broker.chunkBytesFor(config.subscriberLimits()),
        stats,
        clock);
    outbox.budget(loops.apply(channel.eventLoop()).budget());
    if (liveLimits != null) {
      outbox.liveLimits(liveLimits);
    }
    WebSocketCommandHandler commands =
        new WebSocketCommandHandler(this, loops.apply(channel.eventLoop()), outbox);
    ChannelPipeline p = channel.pipeline();
    removeHttpHandlers(p, true);
    if (p.get(TlsInitializer.NAME) != null) {
      p.addAfter(
          TlsInitializer.NAME,
          OUTBOX,
          outbox); // the outbox counts plaintext, and its close frame is encrypted
    } else {
      p.addFirst(OUTBOX, outbox);
    }
    p.addLast(UTF8, new Utf8FrameValidator(true));
    p.addLast(AGGREGATOR, new WebSocketFrameAggregator(maxFramePayload));
    p.addLast(COMMANDS, commands);
    try {
      handshaker.handshake(channel, request).addListener(done -> {
        if (done.isSuccess()) {
          removeHttpHandlers(p, false);
          commands.start(List.copyOf(channels));
        } else {
          channel.close();
        }
      });
    } catch (WebSocketHandshakeException e) {
      respond(channel, HttpResponseStatus.BAD_REQUEST, "bad_websocket_handshake", e.getMessage());
    }
  }

  private static String location(FullHttpRequest request) {
    String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
    return "ws://" + host + request.uri(); // only the old (hixie-76) handshakes use it
  }

  /** Removes the handlers named {@code http-…}, except, if {@code keepCodec}, the HTTP codec the handshake needs. */
  private static void removeHttpHandlers(ChannelPipeline p, boolean keepCodec) {
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, ChannelHandler> e : p) {
      if (e.getKey().startsWith(HTTP_PREFIX) && !(keepCodec && isCodec(e.getValue()))) {
        names.add(e.getKey());
      }
    }
    for (String name : names) {
      p.remove(name);
    }
  }

  private static boolean isCodec(ChannelHandler h) {
    return h instanceof HttpServerCodec
        || h instanceof HttpRequestDecoder
        || h instanceof HttpResponseEncoder;
  }

  /** A JSON error like the rest of the HTTP API's; a 503 says when to come back. Closes the connection. */
  private static void respond(
      Channel channel, HttpResponseStatus status, String error, String text) {
    byte[] body = ("{\"error\":\"" + error + "\",\"message\":" + jsonString(String.valueOf(text))
            + "}")
        .getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    if (status.code() == 503) {
      response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
    }
    if (status.code() == 426) {
      response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
    }
    channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  private static String jsonString(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
}
