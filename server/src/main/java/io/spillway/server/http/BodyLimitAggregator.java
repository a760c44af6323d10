package io.spillway.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;

/**
 * Netty's aggregator, except that a body over {@code http-max-body-size} is not answered here: the router is told
 * (with {@link TooLarge}) so that the 413 takes its turn behind earlier pipelined requests, and the connection is
 * closed after it rather than reading and discarding the rest of an oversized body. Event-loop confined.
 */
final class BodyLimitAggregator extends HttpObjectAggregator {

  static final String NAME = "http-aggregator";

  /** Fired down the pipeline in place of a request whose body is too large. */
  static final class TooLarge {
    final String uri;
    final long limit;

    TooLarge(String uri, long limit) {
      this.uri = uri;
      this.limit = limit;
    }
  }

  BodyLimitAggregator(int maxBodyBytes) {
    super(maxBodyBytes, true);
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    String uri = oversized instanceof HttpRequest request ? request.uri() : "";
    ReferenceCountUtil.release(oversized);
    ctx.channel().config().setAutoRead(false);
    ctx.fireChannelRead(new TooLarge(uri, maxContentLength()));
  }
}
