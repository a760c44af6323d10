package io.spillway.bench.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/** A tiny HTTP server for wire tests: answers request n (from 0) as {@code rule} says, after the rule's delay. */
final class RuleHttpServer implements AutoCloseable {

  /** How to answer one request: status, X-Spillway-Shed (or null), delay before answering. */
  record Reply(int status, String shedReason, long delayMillis) {}

  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final Channel server;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong answered2xx = new AtomicLong();
  private final AtomicLong answeredShed = new AtomicLong();
  private final List<Long> timeoutHeaders = new CopyOnWriteArrayList<>();

  RuleHttpServer(LongFunction<Reply> rule) throws InterruptedException {
    server = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast(new HttpServerCodec())
                .addLast(new HttpObjectAggregator(1 << 20))
                .addLast(new SimpleChannelInboundHandler<FullHttpRequest>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                    String t = req.headers().get(HttpConnectionHandler.TIMEOUT_HEADER);
                    timeoutHeaders.add(t == null ? -1 : Long.parseLong(t));
                    Reply reply = rule.apply(requests.getAndIncrement());
                    ctx.executor()
                        .schedule(
                            () -> answer(ctx, reply), reply.delayMillis(), TimeUnit.MILLISECONDS);
                  }
                });
          }
        })
        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .sync()
        .channel();
  }

  private void answer(ChannelHandlerContext ctx, Reply reply) {
    boolean ok = reply.status() >= 200 && reply.status() < 300;
    FullHttpResponse r = new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(reply.status()),
        Unpooled.copiedBuffer(
            ok ? "{\"receivers\":7}" : "{\"error\":\"shed\"}", StandardCharsets.UTF_8));
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
    if (reply.shedReason() != null) {
      r.headers().set("X-Spillway-Shed", reply.shedReason()).set(HttpHeaderNames.RETRY_AFTER, "1");
    }
    (ok ? answered2xx : answeredShed).incrementAndGet();
    ctx.writeAndFlush(r);
  }

  InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  long requests() {
    return requests.get();
  }

  long answered2xx() {
    return answered2xx.get();
  }

  long answeredShed() {
    return answeredShed.get();
  }

  /** Every X-Request-Timeout-Ms received, in order; -1 where absent. */
  List<Long> timeoutHeaders() {
    return timeoutHeaders;
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
