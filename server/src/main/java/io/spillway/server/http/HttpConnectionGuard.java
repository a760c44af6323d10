package io.spillway.server.http;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open HTTP connections (WebSocket ones included, since they arrive on this port) and answers a connection
 * beyond {@code http-max-connections} with a 503 and closes it, before any of its bytes are read. Shared by every
 * connection of the port; any event loop.
 *
 * <p>Named {@code "conn-guard"} in the pipeline (not {@code http-...}): a WebSocket upgrade removes the HTTP
 * handlers but must keep this one, so that the connection is still counted until it closes.
 */
@Sharable
final class HttpConnectionGuard extends ChannelInboundHandlerAdapter {

  static final String NAME = "conn-guard";
  private static final AttributeKey<Boolean> COUNTED =
      AttributeKey.valueOf("spillway.http.counted");
  private static final byte[] FULL = ApiResponse.shed(
          HttpResponseStatus.SERVICE_UNAVAILABLE,
          "max_connections",
          1,
          "too many HTTP connections; try again later")
      .toWire();

  private final int maxConnections;
  private final AtomicInteger open = new AtomicInteger();
  private final HttpObserver observer;

  HttpConnectionGuard(int maxConnections, HttpObserver observer) {
    this.maxConnections = maxConnections;
    this.observer = observer;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      observer.connectionRejected();
      LingeringClose.after(ctx.writeAndFlush(ctx.alloc().buffer(FULL.length).writeBytes(FULL)));
      return;
    }
    ctx.channel().attr(COUNTED).set(Boolean.TRUE);
    observer.connectionOpened();
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (ctx.channel().attr(COUNTED).getAndSet(null) != null) {
      open.decrementAndGet();
      observer.connectionClosed();
    }
    ctx.fireChannelInactive();
  }

  /** Open connections; any thread. */
  int open() {
    return open.get();
  }
}
