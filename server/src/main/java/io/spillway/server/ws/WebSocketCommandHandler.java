package io.spillway.server.ws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.spillway.server.auth.Permissions;
import io.spillway.server.broker.Broker;
import io.spillway.server.broker.IoLoop;
import io.spillway.server.broker.Names;
import io.spillway.server.client.ClientSession;
import io.spillway.server.client.ReadGate;
import io.spillway.server.outbox.OutboxHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket client's command layer, after the handshake: answers pings and close frames, runs the JSON commands,
 * pauses reading while the client's outbox is above its soft limit or a loop's delivery backlog is congested, and
 * cleans up when the connection closes. Runs on the channel's event loop.
 */
final class WebSocketCommandHandler extends ChannelInboundHandlerAdapter implements ReadGate {

  /*
   * Design notes.
   *
   * Pausing turns autoRead off, but frames already decoded from the last read still arrive; they wait in `pending`
   * and run, in order, on resume. That queue holds at most one read's worth plus one frame (the decoder asks for
   * another read only while it has no complete frame), so pushback stays lossless and bounded, like the RESP
   * decoder's pause.
   *
   * Replies are encoded here as whole frames (WebSocketFrames), one buffer each, so the outbox accepts or refuses a
   * frame whole and a cut's close frame never lands in the middle of one.
   */

  private static final Logger log = LoggerFactory.getLogger(WebSocketCommandHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** RFC 6455 close code 1003: a data type this endpoint does not accept. */
  static final int UNSUPPORTED_DATA = 1003;
  /** RFC 6455 close code 1009: a message too big to process. */
  static final int MESSAGE_TOO_BIG = 1009;
  /** RFC 6455 close code 1011: the server hit an unexpected condition. */
  static final int INTERNAL_ERROR = 1011;

  private final WebSocketEndpoint server;
  private final IoLoop loop;
  private final OutboxHandler outbox;
  private final ArrayDeque<WebSocketFrame> pending = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private ClientSession session;
  private boolean admitted = true;
  private boolean closing;
  private boolean readsPaused;

  /** A handler for a connection already admitted by the endpoint: it gives the place back on close. */
  WebSocketCommandHandler(WebSocketEndpoint server, IoLoop loop, OutboxHandler outbox) {
    this.server = server;
    this.loop = loop;
    this.outbox = outbox;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** Once the handshake response is out: registers the client and subscribes it to {@code channels}. */
  void start(List<String> channels) {
    if (!ctx.channel().isActive()) {
      return;
    }
    outbox.cutNotice(WebSocketCutNotice.INSTANCE);
    session = ClientSession.open(
        server.clients,
        server.broker,
        server.pauses,
        ctx,
        loop,
        outbox,
        this,
        ClientSession.WEBSOCKET);
    session.authenticated(true);
    for (String channel : channels) {
      subscribe(channel);
    }
    ctx.flush();
  }

  /** The session, once started; for tests. */
  ClientSession session() {
    return session;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (session != null) {
      session.close();
    }
    if (admitted) {
      admitted = false;
      server.clients.release();
    }
    releasePending();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof WebSocketFrame frame) || session == null || closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (paused() || !pending.isEmpty()) {
      pending.add(frame);
      pauseReads();
      return;
    }
    handle(frame);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  private void handle(WebSocketFrame frame) {
    try {
      if (frame instanceof TextWebSocketFrame) {
        command(frame.content());
      } else if (frame instanceof PingWebSocketFrame) {
        ctx.write(WebSocketFrames.pong(ctx.alloc(), frame.content()), ctx.voidPromise());
      } else if (frame instanceof CloseWebSocketFrame close) {
        int code = close.statusCode();
        closing = true;
        releasePending();
        ctx.writeAndFlush(WebSocketFrames.close(ctx.alloc(), code, ""))
            .addListener(ChannelFutureListener.CLOSE);
      } else if (frame instanceof BinaryWebSocketFrame) {
        closeWith(UNSUPPORTED_DATA, "binary frames are not supported: send JSON commands as text");
      }
      // A pong needs no answer.
    } finally {
      frame.release();
    }
  }

  private void command(ByteBuf content) {
    WebSocketRequest request;
    try {
      request = WebSocketRequest.parse(ByteBufUtil.getBytes(content));
    } catch (WebSocketRequestException e) {
      server.stats.protocolError();
      closeWith(e.closeCode(), e.reason());
      return;
    }
    server.stats.commandProcessed();
    session.touched(request.op.label);
    switch (request.op) {
      case SUBSCRIBE:
        subscribe(request.channel);
        break;
      case UNSUBSCRIBE:
        unsubscribe(request.channel);
        break;
      default:
        publish(request.channel, request.payload);
    }
  }

  private void subscribe(String channel) {
    byte[] name = channel.getBytes(StandardCharsets.UTF_8);
    if (Permissions.refuseSubscribe(ctx.channel(), List.of(name), false, this::error)) {
      return;
    }
    if (!channelLengthAllowed(name)) {
      return;
    }
    String key = Names.of(name);
    int limit = server.config.maxSubscriptionsPerClient();
    if (!session.channels().contains(key) && session.subscriptionCount() >= limit) {
      error("subscribing would exceed max-subscriptions-per-client (" + limit + ")");
      return;
    }
    if (!session.channels().contains(key)
        && !server.broker.subscriptionsFit(Broker.subscriptionCost(name.length))) {
      server.stats.subscriptionRefused();
      error("subscribing would exceed max-subscription-memory ("
          + server.broker.maxSubscriptionBytes() + " bytes)");
      return;
    }
    server.broker.subscribe(session, key);
    session.subscriptionsChanged();
    reply(confirmation("subscribed", channel).put("subscriptions", session.subscriptionCount()));
  }

  private void unsubscribe(String channel) {
    server.broker.unsubscribe(session, Names.of(channel.getBytes(StandardCharsets.UTF_8)));
    session.subscriptionsChanged();
    reply(confirmation("unsubscribed", channel).put("subscriptions", session.subscriptionCount()));
  }

  private void publish(String channel, byte[] payload) {
    byte[] name = channel.getBytes(StandardCharsets.UTF_8);
    if (Permissions.refusePublish(ctx.channel(), name, this::error)) {
      return;
    }
    int receivers = session.publish(name, payload);
    if (receivers < 0) {
      error(server.broker.refusal(receivers, name.length, payload.length));
      return;
    }
    reply(confirmation("published", channel).put("receivers", receivers));
  }

  private boolean channelLengthAllowed(byte[] name) {
    long max = server.config.maxChannelLength().toBytes();
    if (name.length > max) {
      error("channel of " + name.length + " bytes is longer than max-channel-length (" + max + ")");
      return false;
    }
    return true;
  }

  private static ObjectNode confirmation(String op, String channel) {
    return JSON.createObjectNode().put("op", op).put("channel", channel);
  }

  /** {@code {"op":"error","message":…}}: the request is refused, the connection stays open (RESP's -ERR). */
  private void error(String message) {
    reply(JSON.createObjectNode().put("op", "error").put("message", message));
  }

  private void reply(ObjectNode json) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(json);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree of strings and numbers always serialises", e);
    }
    ctx.write(WebSocketFrames.text(ctx.alloc(), bytes), ctx.voidPromise());
  }

  /** Sends a close frame with {@code code} and {@code reason} and closes once it is written. */
  private void closeWith(int code, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    releasePending();
    log.info("websocket client {} closed with {}: {}", describe(), code, reason);
    ctx.writeAndFlush(WebSocketFrames.close(ctx.alloc(), code, reason))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private String describe() {
    return session == null ? String.valueOf(ctx.channel()) : session.describe();
  }

  private boolean paused() {
    return session != null && session.readsPaused();
  }

  /** The session stops reading this client's frames: its outbox is full or a delivery backlog is congested. */
  @Override
  public void pauseReads() {
    if (!readsPaused) {
      readsPaused = true;
      ctx.channel().config().setAutoRead(false);
    }
  }

  /** No reason to pause is left: runs the frames that waited, then reads again. */
  @Override
  public void resumeReads() {
    resumeIfClear();
  }

  /** Runs the frames that waited, then reads again, unless a reason to pause is left (or appears meanwhile). */
  private void resumeIfClear() {
    while (!pending.isEmpty() && !paused() && !closing) {
      handle(pending.poll());
    }
    ctx.flush();
    if (readsPaused && pending.isEmpty() && !paused() && !closing) {
      readsPaused = false;
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void releasePending() {
    for (WebSocketFrame f; (f = pending.poll()) != null; ) {
      f.release();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof CorruptedWebSocketFrameException corrupted) {
      // Netty's decoder has already sent the close frame (1002, 1007 or 1009) and closes after it.
      server.stats.protocolError();
      closing = true;
      releasePending();
      log.info(
          "websocket client {} closed with {}: {}",
          describe(),
          corrupted.closeStatus().code(),
          cause.getMessage());
      return;
    }
    if (cause instanceof TooLongFrameException) {
      server.stats.protocolError();
      closeWith(MESSAGE_TOO_BIG, "message too big: over " + server.maxFramePayload + " bytes");
      return;
    }
    if (cause instanceof PrematureChannelClosureException) {
      // The connection ended inside a fragmented message; the aggregator drops the fragments. Not
      // our error.
      log.debug("websocket client {} closed inside a fragmented message", describe());
      releasePending();
      return;
    }
    if (cause instanceof IOException) {
      log.debug("websocket client {} I/O error: {}", describe(), cause.toString());
      ctx.close();
      return;
    }
    log.warn("websocket client {} closed after an unexpected error", describe(), cause);
    closeWith(INTERNAL_ERROR, "internal error");
  }
}
