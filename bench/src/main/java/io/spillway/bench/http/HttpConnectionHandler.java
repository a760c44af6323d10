package io.spillway.bench.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection of the pool, with at most one request outstanding. It sends what its {@link
 * LoadShard} gives it and hands each response (status, {@code X-Spillway-Shed}, the body's receiver count) back.
 * Every method runs on the channel's event loop.
 */
final class HttpConnectionHandler extends SimpleChannelInboundHandler<FullHttpResponse> {

  /** The request header carrying the request's remaining deadline in milliseconds. */
  static final String TIMEOUT_HEADER = "X-Request-Timeout-Ms";

  private final LoadShard shard;
  private final String path;
  private final String host;
  private final byte[] payload;
  private Channel channel;
  private boolean outstanding;
  private long intendedNanos;
  private long sentNanos;
  private boolean abandoned;

  HttpConnectionHandler(LoadShard shard, String host, String path, byte[] payload) {
    this.shard = shard;
    this.host = host;
    this.path = path;
    this.payload = payload;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    channel = ctx.channel();
    shard.onConnected(this);
    super.channelActive(ctx);
  }

  /** Sends one publish, due at {@code intendedNanos}, with {@code budgetMillis} left of its deadline. */
  void send(long intendedNanos, long nowNanos, long budgetMillis) {
    this.outstanding = true;
    this.intendedNanos = intendedNanos;
    this.sentNanos = nowNanos;
    ByteBuf body = Unpooled.wrappedBuffer(payload);
    FullHttpRequest request =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path, body);
    request
        .headers()
        .set(HttpHeaderNames.HOST, host)
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, payload.length)
        .set(TIMEOUT_HEADER, Long.toString(Math.max(1, budgetMillis)));
    channel.writeAndFlush(request).addListener(f -> {
      if (!f.isSuccess()) {
        channel.close();
      }
    });
  }

  boolean outstanding() {
    return outstanding;
  }

  long intendedNanos() {
    return intendedNanos;
  }

  long sentNanos() {
    return sentNanos;
  }

  /** Gives up on the outstanding request (counted by the caller) and closes the connection. */
  void abandon() {
    outstanding = false;
    abandoned = true;
    if (channel != null) {
      channel.close();
    }
  }

  /** Closes the connection; an outstanding request is counted as an error. */
  void close() {
    if (channel != null) {
      channel.close();
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
    if (!outstanding) {
      return; // a response after abandon(): the request was already counted
    }
    outstanding = false;
    int status = response.status().code();
    String shed = response.headers().get(ResponseOutcome.SHED_HEADER);
    long receivers = status >= 200 && status < 300 ? receivers(response.content()) : -1;
    shard.onResponse(this, status, shed, receivers);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    boolean lost = outstanding && !abandoned;
    outstanding = false;
    shard.onClosed(this, lost);
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    shard.onError(cause);
    ctx.close();
  }

  /** The N of a body {@code {"receivers":N}}, or -1 if the body does not hold one. */
  static long receivers(ByteBuf content) {
    String body = content.toString(StandardCharsets.UTF_8);
    int key = body.indexOf("\"receivers\"");
    if (key < 0) {
      return -1;
    }
    int i = body.indexOf(':', key) + 1;
    while (i > 0 && i < body.length() && body.charAt(i) == ' ') {
      i++;
    }
    int start = i;
    while (i < body.length() && Character.isDigit(body.charAt(i))) {
      i++;
    }
    return i > start ? Long.parseLong(body.substring(start, i)) : -1;
  }
}
