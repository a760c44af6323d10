package io.spillway.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection after its last response the way HTTP servers must (RFC 9112 §9.6, Apache's "lingering
 * close"): send FIN once the response is written, then read and discard what the client still sends until it closes
 * or {@value #LINGER_MILLIS} ms pass. Closing at once with unread bytes makes the kernel send a reset, and a reset can
 * destroy the response (431, 413, 503...) before the client reads it.
 */
final class LingeringClose {

  /** The longest a refused client may keep the socket open by sending more. */
  static final long LINGER_MILLIS = 2000;

  @Sharable
  private static final class Discard extends ChannelInboundHandlerAdapter {
    static final Discard INSTANCE = new Discard();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  private LingeringClose() {}

  /** Once {@code lastWrite} completes, half-closes its channel and lingers. Event-loop thread. */
  static void after(ChannelFuture lastWrite) {
    lastWrite.addListener(f -> start(lastWrite.channel()));
  }

  private static void start(Channel ch) {
    if (!ch.isActive() || !(ch instanceof DuplexChannel duplex)) {
      ch.close();
      return;
    }
    ch.pipeline().addFirst("linger-discard", Discard.INSTANCE);
    duplex.shutdownOutput().addListener(f -> {
      if (!f.isSuccess()) {
        ch.close();
      }
    });
    ch.eventLoop()
        .schedule(
            () -> {
              ch.close();
            },
            LINGER_MILLIS,
            TimeUnit.MILLISECONDS);
    ch.config().setAutoRead(true);
  }
}
