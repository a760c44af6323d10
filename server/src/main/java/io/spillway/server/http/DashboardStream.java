package io.spillway.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;

/**
 * The last handler of a connection that streams dashboard events: anything more the viewer sends is discarded (a
 * stream takes no further requests); errors close the connection. Event-loop confined.
 */
final class DashboardStream extends ChannelInboundHandlerAdapter {

  static final String NAME = "http-dashboard-stream";

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof IOException)) {
      org.slf4j.LoggerFactory.getLogger(DashboardStream.class)
          .warn("dashboard stream {} failed", ctx.channel(), cause);
    }
    ctx.close();
  }
}
