package io.spillway.server.command;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.spillway.server.broker.IoLoop;
import io.spillway.server.client.ClientSession;
import io.spillway.server.client.ReadGate;
import io.spillway.server.outbox.OutboxHandler;
import io.spillway.server.resp.RespProtocolException;
import io.spillway.server.resp.RespRequest;
import io.spillway.server.resp.RespRequestDecoder;
import io.spillway.server.resp.RespWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RESP connection's command layer: admits the connection against max-clients, dispatches each decoded request,
 * flushes replies at the end of each read batch, pauses reading while the client's outbox is above its soft limit,
 * and cleans up when the connection closes. Runs on the channel's event loop.
 */
public final class CommandHandler extends ChannelInboundHandlerAdapter implements ReadGate {

  private static final Logger log = LoggerFactory.getLogger(CommandHandler.class);
  private static final byte[] MAX_CLIENTS =
      "-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII);

  final ServerContext server;
  private final IoLoop loop;
  private final OutboxHandler outbox;
  private final RespRequestDecoder decoder;
  ChannelHandlerContext ctx;
  ClientSession session;
  private boolean admitted;
  private boolean closing;
  /** The request CLIENT PAUSE holds, with reading stopped behind it; null when none is held. */
  private RespRequest postponed;

  private Runnable postponedWaiter;
  /** CLIENT REPLY: whether replies are written ({@link ReplyMode}). */
  ReplyMode replyMode = ReplyMode.ON;
  /** Error replies written so far: the dispatcher tells a failed call by this count moving. */
  long errorsReplied;

  /** CLIENT REPLY ON | OFF | SKIP; SKIP becomes SKIP_THIS for the one command after it. */
  enum ReplyMode {
    ON,
    OFF,
    SKIP_NEXT,
    SKIP_THIS
  }

  public CommandHandler(
      ServerContext server, IoLoop loop, OutboxHandler outbox, RespRequestDecoder decoder) {
    this.server = server;
    this.loop = loop;
    this.outbox = outbox;
    this.decoder = decoder;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    server.stats.connectionReceived();
    if (!server.clients.tryAdmit()) {
      server.stats.connectionRejected();
      closing = true;
      ctx.writeAndFlush(ctx.alloc().buffer(MAX_CLIENTS.length).writeBytes(MAX_CLIENTS))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    admitted = true;
    session = ClientSession.open(
        server.clients, server.broker, server.pauses, ctx, loop, outbox, this, 2);
    outbox.liveLimits(server.live);
    authenticated(server.config.requirePass().isEmpty());
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (postponedWaiter != null) {
      server.pause.cancel(postponedWaiter);
    }
    if (admitted) {
      admitted = false;
      server.monitors.remove(session);
      session.close();
      server.clients.release();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof RespRequest request) || session == null || closing) {
      return;
    }
    server.stats.commandProcessed();
    Dispatcher.dispatch(this, request);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  /** The session stops reading this client's commands: its outbox is full or a delivery backlog is congested. */
  @Override
  public void pauseReads() {
    decoder.pause();
  }

  /** No reason to pause is left. */
  @Override
  public void resumeReads() {
    resumeIfClear();
  }

  /**
   * Holds {@code r} while CLIENT PAUSE lasts ({@code nanos} at most, or until CLIENT UNPAUSE): reading stops, and
   * {@code r} is dispatched again once the pause is over.
   */
  void postpone(RespRequest r, long nanos) {
    postponed = r;
    decoder.pause();
    if (postponedWaiter == null) {
      postponedWaiter = () -> ctx.channel().eventLoop().execute(this::retryPostponed);
    }
    server.pause.onUnpause(postponedWaiter);
    ctx.channel()
        .eventLoop()
        .schedule(this::retryPostponed, nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** The request CLIENT PAUSE holds, or null. */
  RespRequest postponedRequest() {
    return postponed;
  }

  private void retryPostponed() {
    RespRequest r = postponed;
    if (r == null || closing || !ctx.channel().isActive()) {
      return;
    }
    postponed = null;
    server.pause.cancel(postponedWaiter);
    Dispatcher.dispatch(this, r);
    ctx.flush();
    resumeIfClear();
  }

  /** Resumes reading when no reason to pause is left: the session has none, and no request is held. */
  private void resumeIfClear() {
    if (decoder.paused()
        && !closing
        && postponed == null
        && (session == null || !session.readsPaused())) {
      decoder.resume(ctx.pipeline().context(decoder));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    RespProtocolException protocolError = protocolError(cause);
    if (protocolError != null) {
      server.stats.protocolError();
      log.info(
          "client {} protocol error: {}",
          session == null ? ctx.channel() : session.describe(),
          protocolError.redisMessage());
      closing = true;
      ByteBuf out = ctx.alloc().buffer();
      RespWriter.error(out, "ERR " + protocolError.redisMessage());
      ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (cause instanceof IOException) {
      // Peer reset, broken pipe, or a write refused after a cut: the connection is going away
      // either way.
      log.debug(
          "client {} I/O error: {}",
          session == null ? ctx.channel() : session.describe(),
          cause.toString());
      ctx.close();
      return;
    }
    log.warn(
        "client {} closed after an unexpected error",
        session == null ? ctx.channel() : session.describe(),
        cause);
    ctx.close();
  }

  private static RespProtocolException protocolError(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof RespProtocolException e) {
        return e;
      }
      if (!(t instanceof DecoderException)) {
        break;
      }
    }
    return null;
  }

  /** Records whether the client has authenticated; until it has, its requests are held to Redis's smaller limits. */
  void authenticated(boolean authenticated) {
    session.authenticated(authenticated);
    decoder.requireAuthentication(!authenticated);
  }

  ByteBuf buffer() {
    return ctx.alloc().ioBuffer();
  }

  void reply(ByteBuf out) {
    if (replyMode == ReplyMode.OFF || replyMode == ReplyMode.SKIP_THIS) {
      out.release();
      return;
    }
    session.reply(out);
  }

  void error(String text) {
    errorsReplied++;
    server.commandStats.error(text);
    ByteBuf out = buffer();
    RespWriter.error(out, text);
    reply(out);
  }

  void ok() {
    reply(RespWriter.ok());
  }

  /** Flushes what is queued and closes the connection once it is written (QUIT, CLIENT KILL of oneself). */
  void closeAfterReply() {
    closing = true;
    decoder.pause();
    ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
  }
}
