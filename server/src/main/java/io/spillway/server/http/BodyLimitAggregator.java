package io.spillway.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Netty's aggregator, except that a body over {@code http-max-body-size} is not answered here: the router is told
 * (with {@link TooLarge}) so that the 413 takes its turn behind earlier pipelined requests, and the connection is
 * closed after it rather than reading and discarding the rest of an oversized body. That holds whether the size is
 * announced ({@code Content-Length}, with or without {@code Expect: 100-continue}) or found while aggregating a
 * chunked body. An unsupported expectation is answered 417 with a JSON body. Event-loop confined.
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

  /**
   * {@code oversized} is the request head (announced size) or the part aggregated so far (chunked body); Netty's
   * aggregator releases it after this returns, so it is not released here.
   */
  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    String uri = oversized instanceof HttpRequest request ? request.uri() : "";
    ctx.channel().config().setAutoRead(false);
    ctx.fireChannelRead(new TooLarge(uri, maxContentLength()));
  }

  @Override
  protected Object newContinueResponse(
      HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    if (unsupportedExpectation(start)) {
      start.headers().remove(HttpHeaderNames.EXPECT);
      return ApiResponse.error(
              HttpResponseStatus.EXPECTATION_FAILED,
              "expectation_failed",
              "the only expectation supported is 'Expect: 100-continue'")
          .closing()
          .toNetty(pipeline.channel().alloc(), false);
    }
    if (HttpUtil.is100ContinueExpected(start)
        && HttpUtil.getContentLength(start, -1L) > maxContentLength) {
      // No 100 Continue: the announced length is over the limit, which the router answers 413 in
      // turn.
      start.headers().remove(HttpHeaderNames.EXPECT);
      return null;
    }
    return super.newContinueResponse(start, maxContentLength, pipeline);
  }

  /** An {@code Expect} header other than {@code 100-continue} (RFC 9110 section 10.1.1). */
  private static boolean unsupportedExpectation(HttpMessage m) {
    String expect = m.headers().get(HttpHeaderNames.EXPECT);
    return expect != null && !"100-continue".equalsIgnoreCase(expect.trim());
  }
}
